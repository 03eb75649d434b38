package org.clusworker.agents.java;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clusworker.agents.support.PropertyReader;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/**
 * The {@code java} resource type: a class named in the configuration ({@code class}), loaded from the
 * class path or from an extra {@code classpath} (a list, or a string of entries separated by
 * {@code :}). The class either implements {@link ResourceAgent} (with a public constructor taking an
 * {@link AgentContext}, or none) or {@link ResourceType} (public no-argument constructor), to which
 * validation and open are handed on. Every other property goes to the agent as it is.
 *
 * <p>Types that are on the class path with a {@code META-INF/services} entry need none of this: they
 * are found by {@link java.util.ServiceLoader} and named directly as the resource's {@code type}.
 */
public final class JavaType implements ResourceType {

    public static final String NAME = "java";
    static final String CLASS = "class";
    static final String CLASSPATH = "classpath";

    /** Class loaders by class path, so that every resource naming the same path shares its classes. */
    private final Map<List<Path>, ClassLoader> loaders = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<PropertyError> validate(Map<String, String> properties) {
        PropertyReader r = new PropertyReader(properties);
        String className = r.required(CLASS);
        List<Path> classpath = classpath(r);
        List<PropertyError> errors = new ArrayList<>(r.errors());
        if (className == null || !errors.isEmpty()) {
            return errors;
        }
        try {
            Class<?> c = load(className, classpath);
            if (ResourceType.class.isAssignableFrom(c)) {
                ResourceType delegate = (ResourceType) instantiate(c);
                errors.addAll(delegate.validate(agentProperties(properties)));
            } else if (!ResourceAgent.class.isAssignableFrom(c)) {
                errors.add(new PropertyError(CLASS, className + " implements neither "
                        + ResourceAgent.class.getName() + " nor " + ResourceType.class.getName()));
            } else {
                agentConstructor(c);
            }
        } catch (AgentException e) {
            errors.add(new PropertyError(CLASS, e.getMessage()));
        }
        return errors;
    }

    @Override
    public ResourceAgent open(AgentContext context) {
        PropertyReader r = new PropertyReader(context.properties());
        String className = r.required(CLASS);
        List<Path> classpath = classpath(r);
        if (className == null || !r.errors().isEmpty()) {
            throw new AgentException("invalid parameters of " + context.resourceName() + ": " + r.errors());
        }
        Class<?> c = load(className, classpath);
        AgentContext filtered = new FilteredContext(context, agentProperties(context.properties()));
        if (ResourceType.class.isAssignableFrom(c)) {
            return ((ResourceType) instantiate(c)).open(filtered);
        }
        if (!ResourceAgent.class.isAssignableFrom(c)) {
            throw new AgentException(className + " implements neither " + ResourceAgent.class.getName()
                    + " nor " + ResourceType.class.getName());
        }
        Constructor<?> k = agentConstructor(c);
        try {
            return (ResourceAgent) (k.getParameterCount() == 1 ? k.newInstance(filtered) : k.newInstance());
        } catch (InvocationTargetException e) {
            throw new AgentException("constructor of " + className + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AgentException("cannot create " + className + ": " + e, e);
        }
    }

    private static List<Path> classpath(PropertyReader r) {
        List<String> items = r.list(CLASSPATH);
        if (items.isEmpty()) {
            items = r.string(CLASSPATH).map(s -> Arrays.stream(s.split(":")).filter(x -> !x.isBlank()).toList())
                    .orElse(List.of());
        }
        return items.stream().map(Path::of).toList();
    }

    /** The properties without {@code class} and {@code classpath}. */
    private static Map<String, String> agentProperties(Map<String, String> properties) {
        Map<String, String> m = new LinkedHashMap<>(properties);
        m.remove(CLASS);
        m.keySet().removeIf(k -> k.equals(CLASSPATH) || k.startsWith(CLASSPATH + "["));
        return m;
    }

    private Class<?> load(String className, List<Path> classpath) {
        ClassLoader loader = classpath.isEmpty() ? defaultLoader() : loaders.computeIfAbsent(classpath, cp -> {
            URL[] urls = cp.stream().map(p -> {
                try {
                    return p.toAbsolutePath().toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new AgentException("classpath entry " + p + " is not a valid location: " + e.getMessage(), e);
                }
            }).toArray(URL[]::new);
            return new URLClassLoader("clusworker-java-agents", urls, defaultLoader());
        });
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AgentException("class " + className + " not found"
                    + (classpath.isEmpty() ? " on the class path" : " in " + classpath), e);
        } catch (LinkageError e) {
            throw new AgentException("class " + className + " cannot be loaded: " + e, e);
        }
    }

    private static ClassLoader defaultLoader() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : JavaType.class.getClassLoader();
    }

    private static Constructor<?> agentConstructor(Class<?> c) {
        try {
            return c.getConstructor(AgentContext.class);
        } catch (NoSuchMethodException e) {
            try {
                return c.getConstructor();
            } catch (NoSuchMethodException none) {
                throw new AgentException(c.getName() + " has no public constructor taking an AgentContext, nor one taking nothing");
            }
        }
    }

    private static Object instantiate(Class<?> c) {
        try {
            return c.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new AgentException(c.getName() + " has no public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new AgentException("constructor of " + c.getName() + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AgentException("cannot create " + c.getName() + ": " + e, e);
        }
    }

    /** The host's context, showing the agent its own properties only. */
    private record FilteredContext(AgentContext delegate, Map<String, String> properties) implements AgentContext {
        FilteredContext {
            properties = Map.copyOf(properties);
        }

        @Override
        public String resourceName() {
            return delegate.resourceName();
        }

        @Override
        public String typeName() {
            return delegate.typeName();
        }

        @Override
        public Path workDirectory() {
            return delegate.workDirectory();
        }

        @Override
        public void signalFailure(String reason) {
            delegate.signalFailure(reason);
        }
    }
}
