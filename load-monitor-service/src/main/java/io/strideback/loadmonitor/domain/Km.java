package io.strideback.loadmonitor.domain;

import java.util.Locale;

/** Distances as the clinic reads them: rounded to 10 m in parameters, short in sentences. */
final class Km {

    static final double EPSILON = 1e-9;

    private Km() {
    }

    static double round(double km) {
        return Math.round(km * 100.0) / 100.0;
    }

    /** To 100 m: the RELAX_RUN_CAP ceiling (shared design for issue 13). */
    static double roundToTenth(double km) {
        return Math.round(km * 10.0) / 10.0;
    }

    /** 3.0 km, 1.6 km, 5.72 km. */
    static String text(double km) {
        double r = round(km);
        boolean oneDecimal = Math.abs(r * 10 - Math.round(r * 10)) < 1e-6;
        return String.format(Locale.ROOT, oneDecimal ? "%.1f km" : "%.2f km", r);
    }
}
