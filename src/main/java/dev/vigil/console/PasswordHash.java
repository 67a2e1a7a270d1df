package dev.vigil.console;

import dev.vigil.config.ConfigException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The household password of the web console, kept only as a PBKDF2-HMAC-SHA256 hash:
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}. {@code vigil web-password} reads a
 * password on standard input and prints its hash for VIGIL_WEB_PASSWORD_HASH (or a file named by
 * VIGIL_WEB_PASSWORD_HASH_FILE).
 */
public final class PasswordHash {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final int ITERATIONS = 310_000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** @throws ConfigException naming the key when the text is not a hash this class wrote */
    public static PasswordHash parse(String text, String key) {
        String[] parts = text.trim().split("\\$");
        try {
            if (parts.length == 4 && parts[0].equals(PREFIX)) {
                return new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]),
                        Base64.getDecoder().decode(parts[3]));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(key + ": not a password hash; make one with `echo 'the password' | java -jar vigil.jar"
                + " web-password` and set the line it prints (pbkdf2-sha256$...)");
    }

    public static String hash(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return PREFIX + "$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Constant-time comparison of the derived key. */
    public boolean matches(String password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /** {@code vigil web-password}: one line from standard input, its hash on standard output. */
    public static int run(InputStream in, PrintStream out) throws Exception {
        String password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.strip().length() < 8) {
            throw new IllegalArgumentException("web-password: give the household password (8+ characters) on standard input");
        }
        out.println(hash(password.strip()));
        return 0;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
