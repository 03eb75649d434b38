package org.clusworker.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tests' strict Prometheus text parser accepts the format and rejects what is not. */
class MetricsTextParserTest {

    @Test
    void parses_typesLabelsEscapesAndSpecialValues() {
        PrometheusText p = PrometheusText.parse("""
                # HELP a_total Things.
                # TYPE a_total counter
                a_total{x="1",y="q\\"uote\\\\"} 3.0
                # TYPE g gauge
                g NaN
                g{k="v"} -Inf
                # TYPE h_seconds histogram
                h_seconds_bucket{le="1.0"} 1.0
                h_seconds_bucket{le="+Inf"} 2.0
                h_seconds_count 2.0
                h_seconds_sum 3.5
                """);
        assertThat(p.value("a_total", "x", "1", "y", "q\"uote\\")).isEqualTo(3.0);
        assertThat(p.value("g")).isNaN();
        assertThat(p.value("g", "k", "v")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(p.type("h_seconds")).isEqualTo("histogram");
        assertThat(p.value("h_seconds_sum")).isEqualTo(3.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a 1",                                   // no final line feed
        "a{x=\"1\"} one\n",                      // not a number
        "a{x=1} 1\n",                            // unquoted label value
        "a{x=\"1\" y=\"2\"} 1\n",                // no comma
        "a{x=\"1\",x=\"2\"} 1\n",                // repeated label
        "1a 1\n",                                // bad name
        "a 1\na 2\n",                            // repeated series
        "# TYPE a counter\na -1\n",              // negative counter
        "# TYPE a gauge\n# TYPE a gauge\na 1\n", // repeated TYPE
        "a 1\n# TYPE a gauge\n",                 // TYPE after samples
        "# TYPE a nonsense\n",                   // unknown type
        "#comment\n",                            // malformed comment
        "a  1\n",                                // two spaces
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n", // decreasing buckets
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 2\n",                     // +Inf != count
        "# TYPE h histogram\nh_bucket 1\nh_count 1\n",                                  // no le
    })
    void rejects(String text) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
