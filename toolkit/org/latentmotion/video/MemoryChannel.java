package org.latentmotion.video;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jcodec.common.io.SeekableByteChannel;

/**
 * A growable in-memory channel for JCodec's muxer. Unlike a FileChannel it is not closed by a
 * thread interrupt, so an interrupted render can still finish the file with the frames so far.
 */
final class MemoryChannel implements SeekableByteChannel {
    private byte[] data = new byte[1 << 16];
    private int size;
    private int position;
    private boolean open = true;

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel setPosition(long newPosition) {
        if (newPosition < 0 || newPosition > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("position: expected 0.." + (Integer.MAX_VALUE - 8) + ", found " + newPosition);
        }
        position = (int) newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        size = (int) Math.min(size, newSize);
        position = Math.min(position, size);
        return this;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (position >= size) {
            return -1;
        }
        int n = Math.min(dst.remaining(), size - position);
        dst.put(data, position, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        long end = (long) position + n;
        if (end > data.length) {
            if (end > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("video larger than 2 GB: use a shorter clip or smaller frames");
            }
            data = Arrays.copyOf(data, (int) Math.max(end, Math.min(Integer.MAX_VALUE - 8L, 2L * data.length)));
        }
        src.get(data, position, n);
        position += n;
        size = Math.max(size, position);
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }
}
