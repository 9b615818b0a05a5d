package dev.lifeline.sessiontable;

/**
 * A session's fencing token: the epoch of its last relay assignment and the region whose signaling wrote it
 * (the session item's {@link AttributeNames#EPOCH} and {@link AttributeNames#REGION}).
 *
 * <p>Within one region the epoch alone fences: every change is a conditional write on the token the writer read,
 * and reads are strongly consistent. A DynamoDB global table checks a condition only against the replica of the
 * region written to and settles concurrent writes of one item last-writer-wins, so two regions can each write
 * epoch e + 1 and replication then keeps one of them. The region in the token tells those writes apart: a writer
 * whose read was replaced by another region's write of the same epoch fails its condition, and a signaling
 * instance that handed out one token sees that the settled item carries another (see the session-table README).
 */
public record SessionFence(long epoch, String region) {

    public static SessionFence of(SessionRecord session) {
        return new SessionFence(session.epoch(), session.region());
    }

    /** The token a takeover or relay change by {@code writer} after this one carries. */
    public SessionFence next(String writer) {
        return new SessionFence(epoch + 1, writer);
    }
}
