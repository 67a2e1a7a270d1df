package dev.vigil.decide;

import java.util.Collection;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * Route predicate {@code nonEmpty}: the body is a collection with at least one element. Guards a split of a
 * list that is usually empty (the alerts of one observation), which costs a split's sub-exchange machinery
 * per observation otherwise (issue 15).
 */
public final class NonEmpty implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof Collection<?> c && !c.isEmpty();
    }
}
