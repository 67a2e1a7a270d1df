package dev.vigil.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void theSortKeyHasAsciiDigitsWhateverTheJvmLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("th-TH-u-nu-thai")); // formats numbers with Thai digits
            assertEquals("001765000000000#a-1", Cursor.sortKey(1_765_000_000_000L, "a-1"),
                    "string order of the DynamoDB sort key is time order only with ASCII digits");
        } finally {
            Locale.setDefault(before);
        }
    }
}
