package dev.vigil.bench;

import java.util.List;

/** The benchmark commands' {@code --name VALUE} options. */
final class Args {

    private Args() {
    }

    /** Removes {@code name VALUE} from the arguments and returns VALUE ({@code absent} when the option is not there). */
    static String take(List<String> args, String name, String absent) {
        int at = args.indexOf(name);
        if (at < 0) {
            return absent;
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return value;
    }
}
