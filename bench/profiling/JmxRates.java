import com.sun.tools.attach.VirtualMachine;
import javax.management.*;
import javax.management.remote.*;
import java.util.*;

/** Broker request counts per API (and per-client quota metrics) over an interval: JmxRates <pid> <seconds> */
public class JmxRates {
    public static void main(String[] a) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(a[0]);
        String addr = vm.startLocalManagementAgent();
        vm.detach();
        int secs = Integer.parseInt(a[1]);
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(addr))) {
            MBeanServerConnection s = c.getMBeanServerConnection();
            Map<String, Double> t0 = snap(s);
            long n0 = System.nanoTime();
            Thread.sleep(secs * 1000L);
            Map<String, Double> t1 = snap(s);
            double dt = (System.nanoTime() - n0) / 1e9;
            List<Map.Entry<String, Double>> out = new ArrayList<>();
            for (var e : t1.entrySet()) {
                Double b = t0.get(e.getKey());
                double d = e.getValue() - (b == null ? 0 : b);
                if (e.getKey().startsWith("G ")) { out.add(Map.entry(e.getKey(), e.getValue())); continue; }
                if (d > 0) out.add(Map.entry(e.getKey(), d / dt));
            }
            out.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
            double total = 0;
            for (var e : out) if (e.getKey().startsWith("REQ ")) total += e.getValue();
            System.out.printf("interval %.1f s; total requests/s %.1f%n", dt, total);
            for (var e : out) System.out.printf("%10.2f  %s%n", e.getValue(), e.getKey());
        }
    }

    static Map<String, Double> snap(MBeanServerConnection s) throws Exception {
        Map<String, Double> m = new TreeMap<>();
        for (ObjectName n : s.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
            Object v = s.getAttribute(n, "Count");
            m.merge("REQ " + n.getKeyProperty("request"), ((Number) v).doubleValue(), Double::sum);
        }
        for (String t : new String[]{"Request", "Fetch", "Produce"}) {
            for (ObjectName n : s.queryNames(new ObjectName("kafka.server:type=" + t + ",*"), null)) {
                try {
                    for (MBeanAttributeInfo ai : s.getMBeanInfo(n).getAttributes()) {
                        if (!ai.getName().equals("Count") && !ai.getName().equals("Value")) continue;
                        Object v = s.getAttribute(n, ai.getName());
                        if (v instanceof Number num) m.put("Q " + n.getKeyPropertyListString() + " " + ai.getName(), num.doubleValue());
                    }
                } catch (Exception ignored) {}
            }
        }
        return m;
    }
}
