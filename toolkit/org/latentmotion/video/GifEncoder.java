package org.latentmotion.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Animated GIF (looping forever) through the JDK's GIF writer, one frame at a time. */
final class GifEncoder implements FrameEncoder {
    private final int width;
    private final int height;
    private final int delayCs;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ImageOutputStream stream;
    private final ImageWriter writer;
    private boolean done;
    private long frames;

    GifEncoder(int width, int height, double fps) {
        this.width = width;
        this.height = height;
        // GIF delays are in hundredths of a second.
        this.delayCs = Math.max(2, (int) Math.round(100.0 / fps));
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IllegalStateException("GIF: expected the JDK's GIF writer, found none");
        }
        writer = writers.next();
        try {
            stream = ImageIO.createImageOutputStream(bytes);
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a GIF", e);
        }
    }

    @Override
    public void encode(BufferedImage frame) {
        if (done) {
            throw new IllegalStateException("this GIF encoder has finished");
        }
        if (frame.getWidth() != width || frame.getHeight() != height) {
            throw new IllegalArgumentException("frame " + frames + ": expected " + width + "×" + height
                    + ", found " + frame.getWidth() + "×" + frame.getHeight());
        }
        BufferedImage rgb = frame;
        if (frame.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(frame, 0, 0, null);
        }
        try {
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(rgb), null);
            String format = meta.getNativeMetadataFormatName();
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
            IIOMetadataNode gce = child(root, "GraphicControlExtension");
            gce.setAttribute("disposalMethod", "none");
            gce.setAttribute("userInputFlag", "FALSE");
            gce.setAttribute("transparentColorFlag", "FALSE");
            gce.setAttribute("delayTime", Integer.toString(delayCs));
            gce.setAttribute("transparentColorIndex", "0");
            if (frames == 0) {
                IIOMetadataNode apps = child(root, "ApplicationExtensions");
                IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                loop.setAttribute("applicationID", "NETSCAPE");
                loop.setAttribute("authenticationCode", "2.0");
                loop.setUserObject(new byte[] {1, 0, 0}); // loop forever
                apps.appendChild(loop);
            }
            meta.setFromTree(format, root);
            writer.writeToSequence(new IIOImage(rgb, null, meta), null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write GIF frame " + frames, e);
        }
        frames++;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    @Override
    public byte[] finish() {
        if (done) {
            throw new IllegalStateException("this GIF encoder has finished");
        }
        done = true;
        try {
            writer.endWriteSequence();
            stream.close();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not complete the GIF", e);
        } finally {
            writer.dispose();
        }
    }

    @Override
    public String mimeType() {
        return "image/gif";
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            writer.dispose();
        }
    }
}
