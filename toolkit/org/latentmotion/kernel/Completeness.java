package org.latentmotion.kernel;

/** Whether a cell's code is ready to run, as Jupyter's {@code is_complete_request} asks. */
enum Completeness {
    /** Every snippet is complete: the front end may run the cell. */
    COMPLETE,
    /** A snippet is unfinished (an open brace, a missing semicolon): the front end keeps editing. */
    INCOMPLETE,
    /** JShell cannot tell what the code is: running it would fail. */
    INVALID
}
