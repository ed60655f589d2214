package io.strideback.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The local run's RS256 key pair, made on first use under {@code .strideback/keys/} and never
 * committed. Services verify tokens with {@code public.pem}; {@code ./strideback token} signs
 * with {@code private.pem}.
 */
public final class LocalKeys {
    private LocalKeys() {
    }

    public static Path defaultDir() {
        return StridebackHome.dir().resolve("keys");
    }

    public static Path publicKeyFile(Path dir) {
        return dir.resolve("public.pem");
    }

    public static synchronized KeyPair loadOrCreate(Path dir) {
        Path priv = dir.resolve("private.pem");
        Path pub = publicKeyFile(dir);
        try {
            if (!Files.exists(priv) || !Files.exists(pub)) {
                Files.createDirectories(dir);
                KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
                gen.initialize(2048);
                KeyPair pair = gen.generateKeyPair();
                // Write to temporary names and move: a concurrent reader never sees half a key.
                writeAtomically(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                writeAtomically(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(priv))));
            PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(der(Files.readString(pub))));
            return new KeyPair(publicKey, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the local keys in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad local key in " + dir + " (delete the folder to make a new pair)", e);
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
    }
}
