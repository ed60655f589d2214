import com.sun.tools.attach.VirtualMachine;
import javax.management.*;
import javax.management.remote.*;
import java.util.*;

/** Kafka clients' requests per client id in each JVM over an interval: ClientRates <seconds> name=pid ... */
public class ClientRates {
    public static void main(String[] a) throws Exception {
        int secs = Integer.parseInt(a[0]);
        Map<String, MBeanServerConnection> conns = new LinkedHashMap<>();
        for (int i = 1; i < a.length; i++) {
            String[] np = a[i].split("=");
            try {
                VirtualMachine vm = VirtualMachine.attach(np[1]);
                String addr = vm.startLocalManagementAgent();
                vm.detach();
                conns.put(np[0], JMXConnectorFactory.connect(new JMXServiceURL(addr)).getMBeanServerConnection());
            } catch (Exception e) { System.out.println(np[0] + ": " + e); }
        }
        Map<String, Double> t0 = new TreeMap<>();
        for (var e : conns.entrySet()) snap(e.getKey(), e.getValue(), t0);
        long n0 = System.nanoTime();
        Thread.sleep(secs * 1000L);
        Map<String, Double> t1 = new TreeMap<>();
        for (var e : conns.entrySet()) snap(e.getKey(), e.getValue(), t1);
        double dt = (System.nanoTime() - n0) / 1e9;
        List<Map.Entry<String, Double>> out = new ArrayList<>();
        for (var e : t1.entrySet()) {
            double d = e.getValue() - t0.getOrDefault(e.getKey(), 0.0);
            if (d > 0) out.add(Map.entry(e.getKey(), d / dt));
        }
        out.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        System.out.printf("client requests/s over %.1f s%n", dt);
        for (var e : out) System.out.printf("%9.1f  %s%n", e.getValue(), e.getKey());
    }

    static void snap(String jvm, MBeanServerConnection s, Map<String, Double> m) throws Exception {
        for (String q : new String[]{"kafka.producer:type=producer-metrics,*", "kafka.consumer:type=consumer-metrics,*",
                "kafka.consumer:type=consumer-fetch-manager-metrics,*", "kafka.admin.client:type=admin-client-metrics,*"}) {
            for (ObjectName n : s.queryNames(new ObjectName(q), null)) {
                if (n.getKeyProperty("topic") != null || n.getKeyProperty("partition") != null) continue;
                String attr = n.getKeyProperty("type").equals("consumer-fetch-manager-metrics") ? "fetch-total" : "request-total";
                try {
                    Object v = s.getAttribute(n, attr);
                    if (v instanceof Number num) m.put(jvm + " " + n.getKeyProperty("client-id") + " " + attr, num.doubleValue());
                } catch (Exception ignored) {}
            }
        }
    }
}
