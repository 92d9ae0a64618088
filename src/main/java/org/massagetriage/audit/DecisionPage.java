package org.massagetriage.audit;

import java.util.List;

/** One page of records in time order; {@code nextCursor} is null on the last page. */
public record DecisionPage(List<DecisionRecord> items, String nextCursor) {
}
