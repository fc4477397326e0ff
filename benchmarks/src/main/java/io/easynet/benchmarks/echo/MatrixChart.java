package io.easynet.benchmarks.echo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the matrix as two grouped bar charts relative to Netty (1.0 = Netty epoll in the same scenario of the
 * same run): throughput and p99 latency, one group per scenario and one bar per implementation. Ratios rather
 * than absolute figures, because only ratios of one run are comparable on a shared machine.
 */
final class MatrixChart {

    static final String THROUGHPUT_FILE = "benchmarks-echo-throughput";
    static final String P99_FILE = "benchmarks-echo-p99";

    private MatrixChart() {
    }

    /** Writes {@value #THROUGHPUT_FILE}.png and {@value #P99_FILE}.png into {@code directory}. */
    static void write(MatrixResults results, Path directory) throws IOException {
        draw(results, "msgs/s relative to Netty epoll (higher is better)", LoadResult::messagesPerSecond,
                directory.resolve(THROUGHPUT_FILE));
        draw(results, "p99 latency relative to Netty epoll (lower is better)", LoadResult::p99Micros,
                directory.resolve(P99_FILE));
    }

    private static void draw(MatrixResults results, String title, ToDoubleFunction<LoadResult> figure, Path file)
            throws IOException {
        List<Scenario> scenarios = results.measurements().stream().map(Measurement::scenario).distinct().toList();
        CategoryChart chart = new CategoryChartBuilder().width(1300).height(560).title(title)
                .xAxisTitle("payload x connections").yAxisTitle("x Netty epoll").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLabelsPosition(0.98);
        List<String> labels = scenarios.stream().map(s -> s.payload().shortName() + " x" + s.connections()).toList();
        boolean anySeries = false;
        for (ServerKind.Family family : ServerKind.Family.values()) {
            // a family that does not serve a scenario (the demo and raw bytes) has no bar there: null, not 0
            List<@Nullable Double> ratios = new ArrayList<>();
            boolean any = false;
            for (Scenario scenario : scenarios) {
                Double ratio = results.measurements().stream()
                        .filter(m -> m.scenario().equals(scenario) && m.server().family == family)
                        .findFirst()
                        .flatMap(m -> results.vsNetty(m, figure))
                        .orElse(null);
                any |= ratio != null;
                ratios.add(ratio);
            }
            if (any) {
                chart.addSeries(family.label, labels, ratios);
                anySeries = true;
            }
        }
        if (!anySeries) {
            // XChart cannot draw a chart without a series; a run without Netty (-Dbench.only) has no ratios
            System.out.println("No chart " + file.getFileName() + ": the run measured no Netty baseline to compare with");
            return;
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
