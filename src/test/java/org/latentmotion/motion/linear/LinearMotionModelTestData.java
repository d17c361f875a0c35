package org.latentmotion.motion.linear;

import org.latentmotion.wplus.Windows;

/** The linear model's test config and data, for tests in other packages (the display's live view). */
public final class LinearMotionModelTestData {
    private LinearMotionModelTestData() {
    }

    /** {@link LinearMotionModelTest#config()}. */
    public static LinearMotionConfig config() {
        return LinearMotionModelTest.config();
    }

    /** {@link LinearMotionModelTest#data()}. */
    public static Windows data() {
        return LinearMotionModelTest.data();
    }
}
