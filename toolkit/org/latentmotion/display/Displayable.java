package org.latentmotion.display;

/**
 * A value that knows how to show itself in a notebook.
 *
 * <p>Implementations write one or more representations into the bundle they are given. They
 * should ask {@link MimeBundle#wants(String)} before encoding anything expensive (a PNG, a
 * video), so that a client asking only for text/plain pays nothing for images. The bundle
 * already holds {@code text/plain} = {@code toString()}; overwrite it when a better summary
 * exists.
 */
public interface Displayable {

    /** Writes this value's representations into {@code bundle}. */
    void renderTo(MimeBundle bundle);

    /** This value's representations, for saving or for tests. */
    default MimeBundle toMimeBundle() {
        return Renderers.render(this);
    }
}
