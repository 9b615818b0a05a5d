package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * A kube-api-test directory whose kube-apiserver hands out Service cluster IPs from a range wider
 * than kube-api-test's fixed {@code --service-cluster-ip-range 10.0.0.0/24} (about 250 Services:
 * 125 platforms, each with two Services, fill it).
 *
 * <p>kube-api-test puts that flag after the caller's flags and the API server keeps the last one,
 * so the flag cannot be overridden through the config. This directory (one per range, under
 * {@code ~/.cache/lifeline/kubeapitest-services-<range>/}) links etcd and kubectl to the shared
 * binaries and has, as its kube-apiserver, a small script that replaces the range's value and runs
 * the shared binary. Certificates are kube-api-test's own, made in this directory on first use;
 * the shared {@code ~/.kubeapitest} stays as it is.
 */
final class WideServiceRange {

    private static final Pattern CIDR = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");
    private static final Object LOCK = new Object();

    private WideServiceRange() {
    }

    static Path kubeApiTestDir(String serviceRange) {
        if (!CIDR.matcher(serviceRange).matches()) {
            throw new IllegalArgumentException("Not an IPv4 CIDR: " + serviceRange);
        }
        synchronized (LOCK) {
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "lifeline",
                    "kubeapitest-services-" + serviceRange.replace('/', '_'));
            String platform = ControlPlane.version() + "-linux-amd64";
            Path shared = SimulatedRegion.kubeApiTestDir().resolve("k8s").resolve(platform);
            Path binaries = dir.resolve("k8s").resolve(platform);
            try {
                Files.createDirectories(binaries);
                for (String binary : new String[] { "etcd", "kubectl" }) {
                    Path link = binaries.resolve(binary);
                    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, shared.resolve(binary));
                    }
                }
                Path wrapper = binaries.resolve("kube-apiserver");
                String script = """
                        #!/bin/sh
                        # Written by the test harness (WideServiceRange): kube-api-test passes its own
                        # --service-cluster-ip-range last; this replaces its value with %s.
                        last=
                        for arg do
                          shift
                          if [ "$last" = --service-cluster-ip-range ]; then arg=%s; fi
                          set -- "$@" "$arg"
                          last=$arg
                        done
                        exec %s "$@"
                        """.formatted(serviceRange, serviceRange, shared.resolve("kube-apiserver"));
                if (!Files.exists(wrapper) || !Files.readString(wrapper).equals(script)) {
                    Files.writeString(wrapper, script);
                    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return dir;
        }
    }
}
