package org.latentmotion.display;

/**
 * Where notebook displays go. The kernel installs one that sends Jupyter display_data and
 * update_display_data messages; outside a kernel the default discards them, so toolkit code
 * (a trainer's live plot) runs unchanged in tests and plain programs.
 */
public interface DisplaySink {

    /** Shows a bundle and returns its display id (for later updates). */
    String display(MimeBundle bundle);

    /** Replaces what the display with {@code id} shows. */
    void update(String id, MimeBundle bundle);

    /** True if displays are actually seen by someone (a notebook front end). */
    boolean isInteractive();

    DisplaySink NONE = new DisplaySink() {
        private long next;

        @Override
        public synchronized String display(MimeBundle bundle) {
            return "display-" + (++next);
        }

        @Override
        public void update(String id, MimeBundle bundle) {
        }

        @Override
        public boolean isInteractive() {
            return false;
        }
    };
}
