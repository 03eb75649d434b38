package org.clusworker.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client's decoding of a chunked body: a stream the server ended, and one that broke. */
class ChunkedBodyTest {

    private static InputStream body(String wire) {
        return new ChunkedBody(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void read_chunksThenLastChunk_theDataThenEnd() throws IOException {
        InputStream in = body("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("hello, world");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void read_connectionEndsBeforeTheLastChunk_eofException() {
        assertThatThrownBy(() -> body("5\r\nhello\r\n").readAllBytes()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> body("5\r\nhel").readAllBytes()).isInstanceOf(EOFException.class);
    }

    @Test
    void read_malformedSize_ioException() {
        assertThatThrownBy(() -> body("zz\r\nhello\r\n").readAllBytes()).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed chunk size line 'zz'");
    }
}
