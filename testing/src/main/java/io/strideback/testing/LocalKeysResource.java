package io.strideback.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the service under test at the local public key; tests sign with {@link Tokens}. */
public class LocalKeysResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalKeys.loadOrCreate(LocalKeys.defaultDir());
        return Map.of("mp.jwt.verify.publickey.location",
                LocalKeys.publicKeyFile(LocalKeys.defaultDir()).toUri().toString());
    }

    @Override
    public void stop() {
    }
}
