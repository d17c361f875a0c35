package org.latentmotion.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Reverse-mode differentiation of the tape. {@link #grad} walks the ops that lead from the
 * requested leaves to the output in reverse creation order and applies each op's backward rule.
 * Those rules are written with {@link Ops}, so with {@code createGraph = true} the gradients are
 * ordinary {@link Var}s on the tape and can be differentiated again (double backprop, as WGAN-GP
 * and the gradient angle penalty need). With {@code createGraph = false} the backward runs with
 * recording off and the gradients are plain constants.
 *
 * <p>Only ops on a path from a requested leaf to the output are differentiated, and each backward
 * rule is told which of its parents are on such a path, so asking for the generator's gradients
 * does not compute the critic's weight gradients, and ∂D/∂x̂ does not compute the critic's.
 */
public final class Autograd {
    private static final ThreadLocal<int[]> PAUSED = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {
    }

    /** True if ops on this thread currently record their inputs for differentiation. */
    public static boolean recording() {
        return PAUSED.get()[0] == 0;
    }

    /** Runs {@code work} without recording (ops produce constants): inference, fake samples. */
    public static <T> T noGrad(Supplier<T> work) {
        int[] p = PAUSED.get();
        p[0]++;
        try {
            return work.get();
        } finally {
            p[0]--;
        }
    }

    /** Runs {@code work} with recording on, even inside {@link #noGrad} (e.g. a gradient taken during inference). */
    public static <T> T withGrad(Supplier<T> work) {
        int[] p = PAUSED.get();
        int saved = p[0];
        p[0] = 0;
        try {
            return work.get();
        } finally {
            p[0] = saved;
        }
    }

    /** Runs {@code work} without recording. */
    public static void noGrad(Runnable work) {
        noGrad(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Gradients of a one-element {@code output} with respect to {@code wrt} (zeros for leaves it does
     * not depend on), in the same order.
     */
    public static List<Var> grad(Var output, List<Var> wrt, boolean createGraph) {
        if (output.value.length() != 1) {
            throw new IllegalArgumentException("grad needs a one-element output, found shape " + Arrays.toString(output.shape()));
        }
        return grad(output, Var.constant(Nd4j.onesLike(output.value)), wrt, createGraph);
    }

    /** Vector-Jacobian product: gradients of {@code <seed, output>} with respect to {@code wrt}. */
    public static List<Var> grad(Var output, Var seed, List<Var> wrt, boolean createGraph) {
        Set<Var> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        targets.addAll(wrt);
        // All recorded nodes reachable from the output.
        List<Var> nodes = new ArrayList<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Var> stack = new ArrayDeque<>();
        if (output.requiresGrad) {
            stack.push(output);
            seen.add(output);
        }
        while (!stack.isEmpty()) {
            Var v = stack.pop();
            nodes.add(v);
            if (v.parents != null) {
                for (Var p : v.parents) {
                    if (p != null && p.requiresGrad && seen.add(p)) {
                        stack.push(p);
                    }
                }
            }
        }
        nodes.sort(Comparator.comparingLong(v -> v.id));
        // needs(v): v lies on a path from a target; creation order is topological.
        Set<Var> needs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var v : nodes) {
            if (targets.contains(v)) {
                needs.add(v);
            } else if (v.parents != null) {
                for (Var p : v.parents) {
                    if (p != null && needs.contains(p)) {
                        needs.add(v);
                        break;
                    }
                }
            }
        }
        Map<Var, Var> grads = new IdentityHashMap<>();
        Set<Var.Group> ranGroups = Collections.newSetFromMap(new IdentityHashMap<>());
        // gradient sums this call allocated and has not handed to a rule yet (safe to add to in place)
        Set<Var> sums = Collections.newSetFromMap(new IdentityHashMap<>());
        if (needs.contains(output)) {
            grads.put(output, seed);
        }
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Var v = nodes.get(k);
            Var g = grads.get(v);
            if (g == null || v.backward == null || !needs.contains(v)) {
                continue;
            }
            // from here on g may be shared (a rule may pass it on unchanged to several parents)
            sums.remove(g);
            boolean[] need = new boolean[v.parents.length];
            for (int i = 0; i < need.length; i++) {
                need[i] = v.parents[i] != null && needs.contains(v.parents[i]);
            }
            Var[] pg;
            if (v.group != null) {
                // all outputs of the op at once: their consumers were all created later, so done
                if (!ranGroups.add(v.group)) {
                    continue;
                }
                Var[] outputs = v.group.outputs;
                Var[] gs = new Var[outputs.length];
                for (int i = 0; i < outputs.length; i++) {
                    if (outputs[i] != null) {
                        gs[i] = grads.get(outputs[i]);
                        sums.remove(gs[i]);
                        if (!targets.contains(outputs[i])) {
                            grads.remove(outputs[i]);
                        }
                    }
                }
                Var.GroupBackward rule = v.group.backward;
                pg = createGraph ? rule.apply(gs, need) : noGrad(() -> rule.apply(gs, need));
            } else {
                pg = createGraph ? v.backward.apply(v, g, need) : noGrad(() -> v.backward.apply(v, g, need));
            }
            for (int i = 0; i < v.parents.length; i++) {
                Var p = v.parents[i];
                if (p == null || pg[i] == null || !needs.contains(p)) {
                    continue;
                }
                Var acc = grads.get(p);
                Var term = pg[i];
                if (acc == null) {
                    grads.put(p, term);
                } else if (createGraph) {
                    grads.put(p, Ops.add(acc, term));
                } else if (sums.contains(acc)) {
                    acc.value.addi(term.value); // a sum made here that no rule has seen yet: in place
                } else {
                    Var sum = noGrad(() -> Ops.add(acc, term));
                    sums.add(sum);
                    grads.put(p, sum);
                }
            }
            if (!targets.contains(v)) {
                grads.remove(v);
            }
        }
        List<Var> out = new ArrayList<>(wrt.size());
        for (Var w : wrt) {
            Var g = grads.get(w);
            out.add(g != null ? g : Var.constant(Nd4j.zerosLike(w.value)));
        }
        return out;
    }
}
