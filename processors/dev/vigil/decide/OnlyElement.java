package dev.vigil.decide;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;

/**
 * Route predicate and expression {@code onlyElement}: as a predicate, the body is a list of exactly one element;
 * as an expression, that element. Most records hold one face: routing that face on as it is avoids the split's
 * copy of the exchange per record (issue 15); records with several faces are still split.
 */
public final class OnlyElement implements Predicate, Expression {

    @Override
    public void init(CamelContext context) {
        // nothing to prepare (Predicate and Expression both declare init)
    }

    @Override
    public boolean matches(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof List<?> list && list.size() == 1;
    }

    @Override
    public <T> T evaluate(Exchange exchange, Class<T> type) {
        Object body = exchange.getMessage().getBody();
        Object only = body instanceof List<?> list && list.size() == 1 ? list.get(0) : body;
        return type.cast(only);
    }
}
