package org.clusworker.cli.admin;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an HTTP/1.1 response in chunked transfer coding, decoded: ends (-1) after the last
 * chunk and its trailers; a connection that ends before is an {@link EOFException}, so that a client
 * can tell a stream the server ended from one that broke. Not thread-safe.
 */
final class ChunkedBody extends InputStream {

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    /** Bytes left in the current chunk; 0 between chunks; -1 after the last. */
    private long left;

    ChunkedBody(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (left == 0) {
            left = nextChunk();
        }
        if (left < 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new EOFException("the connection ended in the middle of a chunk");
        }
        left -= n;
        if (left == 0) {
            expectLine("");
        }
        return n;
    }

    /** Reads a chunk's size line; at the last chunk, its trailers too, and returns -1. */
    private long nextChunk() throws IOException {
        String line = line(in);
        int ext = line.indexOf(';');
        long size;
        try {
            size = Long.parseLong((ext < 0 ? line : line.substring(0, ext)).strip(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size line '" + line + "'");
        }
        if (size > 0) {
            return size;
        }
        String trailer = line(in);
        while (!trailer.isEmpty()) { // trailers: none expected, none used
            trailer = line(in);
        }
        return -1;
    }

    private void expectLine(String expected) throws IOException {
        String line = line(in);
        if (!line.equals(expected)) {
            throw new IOException("malformed chunk end '" + line + "'");
        }
    }

    /**
     * One line of ASCII, without its CRLF (or LF).
     *
     * @throws EOFException if the stream ends before the line does
     */
    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection ended in the middle of a line");
            }
            if (b.length() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            b.append((char) c);
        }
        int end = b.length();
        return end > 0 && b.charAt(end - 1) == '\r' ? b.substring(0, end - 1) : b.toString();
    }
}
