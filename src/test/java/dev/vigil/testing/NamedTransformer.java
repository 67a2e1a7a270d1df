package dev.vigil.testing;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;

/** A WireMock response transformer that only the stubs naming it use (the fakes' stateful models). */
abstract class NamedTransformer implements ResponseDefinitionTransformerV2 {

    private final String name;

    NamedTransformer(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }
}
