package io.strideback.loadmonitor.domain;

import java.time.LocalDate;

/**
 * One calendar day of load. Days without sessions have load 0 and still decay the averages.
 *
 * @param sessionRpeLoad sum of RPE x minutes over the day's sessions (Foster 2001)
 * @param runKm          sum of the day's run distances
 * @param acuteEwma      EWMA with lambda = 2 / (7 + 1) (Williams 2017)
 * @param chronicEwma    EWMA with lambda = 2 / (28 + 1)
 * @param acwr           acute / chronic, null while chronic is 0
 */
public record DailyLoad(LocalDate date, double sessionRpeLoad, double runKm, double acuteEwma, double chronicEwma,
                        Double acwr) {
}
