package org.clusworker.agents.ocf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.clusworker.host.time.Durations;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What an OCF agent's {@code meta-data} action says about it: its parameters and its default action
 * timeouts.
 *
 * @param parameters     by name, in the agent's order
 * @param timeouts       action name to its advised timeout (e.g. {@code start -> 20s})
 * @param monitorDepths  the {@code depth} values the agent lists for monitor (OCF_CHECK_LEVEL)
 */
record AgentMetadata(Map<String, Parameter> parameters, Map<String, Duration> timeouts, List<Integer> monitorDepths) {

    /** One parameter: whether it is required, and its default if it has one. */
    record Parameter(String name, boolean required, Optional<String> defaultValue) {
    }

    /** Reads the meta-data XML. External entities and DTDs are never loaded. */
    static AgentMetadata parse(String xml) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setExpandEntityReferences(false);
            f.setValidating(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("meta-data is not valid XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"resource-agent".equals(root.getTagName())) {
            throw new IOException("meta-data's root element is <" + root.getTagName() + ">, not <resource-agent>");
        }
        Map<String, Parameter> params = new LinkedHashMap<>();
        NodeList ps = root.getElementsByTagName("parameter");
        for (int i = 0; i < ps.getLength(); i++) {
            Element p = (Element) ps.item(i);
            String name = p.getAttribute("name");
            if (name.isEmpty()) {
                continue;
            }
            Optional<String> def = Optional.empty();
            NodeList contents = p.getElementsByTagName("content");
            if (contents.getLength() > 0 && ((Element) contents.item(0)).hasAttribute("default")) {
                def = Optional.of(((Element) contents.item(0)).getAttribute("default"));
            }
            params.put(name, new Parameter(name, "1".equals(p.getAttribute("required"))
                    || "true".equals(p.getAttribute("required")), def));
        }
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        List<Integer> depths = new ArrayList<>();
        NodeList as = root.getElementsByTagName("action");
        for (int i = 0; i < as.getLength(); i++) {
            Element a = (Element) as.item(i);
            String name = a.getAttribute("name");
            Durations.parse(a.getAttribute("timeout").strip()).or(() -> seconds(a.getAttribute("timeout")))
                    .ifPresent(t -> timeouts.putIfAbsent(name, t));
            if ("monitor".equals(name) && !a.getAttribute("depth").isEmpty()) {
                try {
                    depths.add(Integer.parseInt(a.getAttribute("depth").strip()));
                } catch (NumberFormatException ignored) {
                    // a depth that is not a number says nothing we can use; the default level applies
                }
            }
        }
        return new AgentMetadata(Collections.unmodifiableMap(params), Collections.unmodifiableMap(timeouts), List.copyOf(depths));
    }

    /** OCF timeouts without a unit are seconds. */
    private static Optional<Duration> seconds(String text) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The names of the parameters, in the agent's order. */
    List<String> parameterNames() {
        return parameters.values().stream().map(Parameter::name).toList();
    }
}
