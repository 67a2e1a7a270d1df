package dev.vigil.history;

import java.util.List;

/**
 * One page of a query's results, newest first.
 *
 * @param next the cursor of the next page, null on the last page
 */
public record Page(List<AlertRecord> items, String next) {
    public Page {
        items = List.copyOf(items);
    }
}
