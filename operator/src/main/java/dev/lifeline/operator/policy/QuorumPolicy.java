package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.lifeline.operator.api.FailoverSpec.Quorum;

/**
 * Decides which peer regions are down by quorum, from the local region's direct view of the heartbeats and the
 * views of its peers that each operator publishes in the session table.
 *
 * <p>Rules (N = number of regions in the spec, {@code need} = ⌊N/2⌋ + 1, a strict majority of <em>all</em> regions):
 * <ol>
 *   <li>A region's heartbeat is <em>fresh</em> at {@code now} when {@code now - lastSeen ≤ staleAfter}.</li>
 *   <li>Voters are the local region (its view is the heartbeats it reads) and every peer whose own heartbeat is fresh
 *       locally and that has published a view. Stale regions do not vote: their view is old news.</li>
 *   <li>A peer X is a candidate only if its own heartbeat is stale locally (its operator is silent). A voter votes
 *       "X down" when X is stale in its view.</li>
 *   <li>{@link Quorum#Majority}: X is down when at least {@code need} voters vote so. {@link Quorum#All}: additionally
 *       every region that is live locally (fresh heartbeat, X excluded) must vote so — a live region that has not
 *       published a view blocks.</li>
 * </ol>
 * Because {@code need} is a majority of all regions and not of the live ones, two disjoint groups of regions can
 * never both reach a quorum: a region cut off from the others (it sees no one, or only a minority) never concludes
 * that the majority is down. With N = 2 no quorum drain is possible at all; Route 53 health checks and the other
 * region's own breakers still act. The price of that safety is that when a majority of regions is really dead, the
 * survivors do not drain them by quorum either; their Route 53 health checks still fail and take them out of DNS
 * answers.
 */
public final class QuorumPolicy {

    /**
     * Result of one evaluation.
     *
     * @param down regions considered down by quorum, in spec order
     * @param live regions whose heartbeat is fresh as seen locally (the local region always is)
     * @param isolated true when the local region sees no peer at all (it then concludes nothing)
     * @param coordinator for each down region, the voter that should drain its record: the first (spec order)
     *        voter agreeing it is down, so that one region, not every survivor, changes DNS
     * @param reasons for each down region, the words for the decision
     * @param upVotes for each region, how many voters (itself included when live) see it fresh
     * @param need votes needed for a quorum
     */
    public record Verdict(Set<String> down, Set<String> live, boolean isolated, Map<String, String> coordinator,
            Map<String, String> reasons, Map<String, Integer> upVotes, int need) {
        public Verdict {
            down = Collections.unmodifiableSet(new LinkedHashSet<>(down));
            live = Collections.unmodifiableSet(new LinkedHashSet<>(live));
            coordinator = Map.copyOf(coordinator);
            reasons = Map.copyOf(reasons);
            upVotes = Map.copyOf(upVotes);
        }

        public boolean isDown(String region) {
            return down.contains(region);
        }

        /**
         * This verdict with only {@code stillDown} (a subset of {@link #down}) down, with these reasons; the regions
         * left out keep their votes and stay not live.
         */
        public Verdict onlyDown(Set<String> stillDown, Map<String, String> newReasons) {
            Set<String> kept = new LinkedHashSet<>(down);
            kept.retainAll(stillDown);
            Map<String, String> keptCoordinator = new LinkedHashMap<>(coordinator);
            keptCoordinator.keySet().retainAll(kept);
            Map<String, String> keptReasons = new LinkedHashMap<>(newReasons);
            keptReasons.keySet().retainAll(kept);
            return new Verdict(kept, live, isolated, keptCoordinator, keptReasons, upVotes, need);
        }

        /** True when a quorum of regions (this one included) currently sees {@code region} alive. */
        public boolean quorumSeesUp(String region) {
            return upVotes.getOrDefault(region, 0) >= need;
        }
    }

    private QuorumPolicy() {
    }

    static boolean fresh(Instant lastSeen, Instant now, Duration staleAfter) {
        return lastSeen != null && !now.isAfter(lastSeen.plus(staleAfter));
    }

    /**
     * @param regions all region names of the spec, in spec order
     * @param local the region this operator runs in
     * @param localView last heartbeat time of each region as read locally (the local entry is ignored: the local
     *        region is always live to itself)
     * @param peerViews each peer's published view: peer → (region → last heartbeat it has seen)
     */
    public static Verdict evaluate(Instant now, List<String> regions, String local, Map<String, Instant> localView,
            Map<String, Map<String, Instant>> peerViews, Duration staleAfter, Quorum mode) {
        return evaluate(now, regions, local, localView, peerViews, staleAfter, mode, Map.of(), Map.of());
    }

    /**
     * As above, with the failure detectors' votes: a region is silent to a voter when its heartbeat is stale in the
     * voter's view <em>or</em> the voter's detector suspects it. The local detector's suspicions are
     * {@code localSuspicions}; each peer's are the suspects it published ({@code peerSuspects}; a peer that publishes
     * none, an operator of an earlier version, votes by the stale-after rule alone). The rules on voters, the
     * majority of all regions and isolation are unchanged, so a suspicion is never a verdict by itself: it needs a
     * quorum, and the service step still needs the data plane gone.
     *
     * @param localSuspicions this region's detector on each peer (absent: no history, stale-after rule only)
     * @param peerSuspects each peer's published suspects
     */
    public static Verdict evaluate(Instant now, List<String> regions, String local, Map<String, Instant> localView,
            Map<String, Map<String, Instant>> peerViews, Duration staleAfter, Quorum mode,
            Map<String, Suspicion> localSuspicions, Map<String, Set<String>> peerSuspects) {
        int n = regions.size();
        int need = n / 2 + 1;
        Set<String> live = new LinkedHashSet<>();
        for (String r : regions) {
            if (r.equals(local) || (fresh(localView.get(r), now, staleAfter) && !suspected(localSuspicions, r))) {
                live.add(r);
            }
        }
        // voters in spec order, with their views
        Map<String, Map<String, Instant>> voters = new LinkedHashMap<>();
        for (String r : regions) {
            if (r.equals(local)) {
                voters.put(r, localView);
            } else if (live.contains(r) && peerViews.get(r) != null) {
                voters.put(r, peerViews.get(r));
            }
        }
        boolean isolated = n > 1 && live.size() == 1;

        Map<String, Integer> upVotes = new LinkedHashMap<>();
        for (String r : regions) {
            int up = 0;
            for (Map.Entry<String, Map<String, Instant>> v : voters.entrySet()) {
                if (v.getKey().equals(r) || !silentTo(v.getKey(), v.getValue(), r, local, now, staleAfter,
                        localSuspicions, peerSuspects)) {
                    up++;
                }
            }
            upVotes.put(r, up);
        }

        Set<String> down = new LinkedHashSet<>();
        Map<String, String> coordinator = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        if (!isolated) {
            for (String x : regions) {
                if (x.equals(local) || live.contains(x)) {
                    continue; // its operator is not silent as seen from here
                }
                List<String> agreeing = new ArrayList<>();
                for (Map.Entry<String, Map<String, Instant>> v : voters.entrySet()) {
                    if (!v.getKey().equals(x) && silentTo(v.getKey(), v.getValue(), x, local, now, staleAfter,
                            localSuspicions, peerSuspects)) {
                        agreeing.add(v.getKey());
                    }
                }
                boolean quorum = agreeing.size() >= need;
                if (quorum && mode == Quorum.All) {
                    for (String l : live) {
                        if (!agreeing.contains(l)) {
                            quorum = false;
                            break;
                        }
                    }
                }
                if (quorum) {
                    down.add(x);
                    coordinator.put(x, agreeing.get(0));
                    boolean stale = !fresh(localView.get(x), now, staleAfter);
                    String older = "older than " + staleAfter.toSeconds() + " s";
                    String silence = suspected(localSuspicions, x)
                            ? "suspected by the failure detector (" + localSuspicions.get(x).describe() + ")"
                                    + (stale ? ", " + older : "")
                            : older;
                    reasons.put(x, "heartbeat of " + x + " " + silence + " as seen by " + agreeing.size() + " of " + n
                            + " regions " + agreeing + " (quorum " + mode + ", need " + need + ")");
                }
            }
        }
        return new Verdict(down, live, isolated, coordinator, reasons, upVotes, need);
    }

    private static boolean suspected(Map<String, Suspicion> suspicions, String region) {
        Suspicion s = suspicions.get(region);
        return s != null && s.suspected();
    }

    /** Whether {@code voter} finds {@code region} silent: stale in its view, or suspected by its detector. */
    private static boolean silentTo(String voter, Map<String, Instant> view, String region, String local, Instant now,
            Duration staleAfter, Map<String, Suspicion> localSuspicions, Map<String, Set<String>> peerSuspects) {
        if (!fresh(view.get(region), now, staleAfter)) {
            return true;
        }
        if (voter.equals(local)) {
            return suspected(localSuspicions, region);
        }
        Set<String> published = peerSuspects.get(voter);
        return published != null && published.contains(region);
    }
}
