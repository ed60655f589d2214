package io.strideback.loadmonitor.streams;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Bench figure 5 (round 17): the load monitor's timers index ({@link AthleteTimers}) as a task holds it in heap, for
 * the heap-per-athlete figure. In the service's package (AthleteTimers is the task's own, not an API); its store is a
 * stand-in that keeps nothing, since the service's store is RocksDB, off the heap.
 */
public final class TimersHeap {

    private TimersHeap() {
    }

    /**
     * An index holding, for each of {@code athletes}, the present its timer reached and its next due instant
     * ({@code dueOf}: null for none), as after every athlete's timer fired once. Keep the returned object reachable.
     */
    public static Object held(List<String> athletes, IntFunction<Instant> reachedOf, IntFunction<Instant> dueOf) {
        AthleteTimers timers = new AthleteTimers(nothingKept());
        for (int i = 0; i < athletes.size(); i++) {
            timers.reached(athletes.get(i), reachedOf.apply(i));
            timers.set(athletes.get(i), dueOf.apply(i));
        }
        return timers;
    }

    @SuppressWarnings("unchecked")
    private static KeyValueStore<String, byte[]> nothingKept() {
        KeyValueIterator<String, byte[]> none = (KeyValueIterator<String, byte[]>) Proxy.newProxyInstance(
                TimersHeap.class.getClassLoader(), new Class<?>[]{KeyValueIterator.class}, (proxy, method, args) ->
                        switch (method.getName()) {
                            case "hasNext" -> false;
                            case "forEachRemaining", "close" -> null;
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
        return (KeyValueStore<String, byte[]>) Proxy.newProxyInstance(TimersHeap.class.getClassLoader(),
                new Class<?>[]{KeyValueStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "all" -> none;
                    case "put", "delete" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
