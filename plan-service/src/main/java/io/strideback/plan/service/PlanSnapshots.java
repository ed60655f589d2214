package io.strideback.plan.service;

import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.store.PlanEventStore.PlanKey;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plans folded up to a sequence, kept between poll batches so a batch reads only the events after it (issue 15).
 * Only a committed state is put here, and a batch still asks the store for every event after the cached
 * sequence and checks the event at it is still stored ({@link io.strideback.plan.store.PlanEventStore#loadAfter}):
 * another replica's or the API's appends are folded on top, never missed. The least recently used go first.
 */
@ApplicationScoped
public class PlanSnapshots {

    @ConfigProperty(name = "strideback.plan.snapshots", defaultValue = "5000")
    int capacity;

    private final Map<PlanKey, RehabPlan> plans = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PlanKey, RehabPlan> eldest) {
            return size() > capacity;
        }
    };

    public synchronized RehabPlan get(PlanKey key) {
        return plans.get(key);
    }

    /** A plan as committed: its version is the sequence of its last event in the store. */
    public synchronized void put(PlanKey key, RehabPlan plan) {
        if (plan.version() > 0) {
            plans.put(key, plan);
        }
    }

    public synchronized void forget(PlanKey key) {
        plans.remove(key);
    }
}
