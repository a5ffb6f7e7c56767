using System.Globalization;
using System.Net;
using System.Text;

namespace Oxidation.Reports.Charts;

/// <summary>One named series of a bar chart: a value per category.</summary>
public sealed record Series(string Name, IReadOnlyList<double> Values);

/// <summary>
/// Bar charts as inline SVG: stacked vertical bars, and horizontal bars with optional bounds (whiskers).
/// Every bar is a <c>rect.bar</c> with <c>data-value</c> and a <c>&lt;title&gt;</c> tooltip; the chart's
/// <c>data-points</c> attribute counts its non-zero bars, so a test can tell a chart with data from an empty one.
/// </summary>
/// <remarks>
/// Written here rather than taken from a charting library: the two shapes the report needs are ~150 lines, the output is
/// byte-for-byte deterministic (golden files), text stays real text (searchable, printable), and nothing native is loaded.
/// </remarks>
public static class SvgChart
{
    /// <summary>Colour-blind-safe palette (Okabe–Ito), in series order.</summary>
    private static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"];

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A readable number for an axis or tooltip: 1,234 / 12.5k / 1.2M; <paramref name="unit"/> appended (e.g. "%").</summary>
    public static string Label(double v, string unit = "")
    {
        var text = Math.Abs(v) >= 1_000_000 ? (v / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M"
            : Math.Abs(v) >= 10_000 ? (v / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k"
            : v.ToString(v == Math.Floor(v) ? "N0" : "0.#", CultureInfo.InvariantCulture);
        return text + unit;
    }

    private static double NiceMax(double max)
    {
        if (max <= 0)
            return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= max)
                return step * magnitude;
        }
        return 10 * magnitude;
    }

    /// <summary>Vertical bars, one per category, each stacked from the series.</summary>
    public static string StackedBars(string id, string title, IReadOnlyList<string> categories, IReadOnlyList<Series> series, string unit = "")
    {
        const int Height = 300, Top = 30, Bottom = 70, Left = 60, Right = 170;
        var barWidth = Math.Clamp(360 / Math.Max(1, categories.Count), 18, 60);
        var gap = barWidth / 3;
        var width = Left + Right + categories.Count * (barWidth + gap) + gap;
        var totals = categories.Select((_, i) => series.Sum(s => s.Values[i])).ToList();
        var max = NiceMax(totals.DefaultIfEmpty(0).Max());
        var plot = Height - Top - Bottom;
        var points = series.Sum(s => s.Values.Count(v => v > 0));
        var svg = Open(id, title, width, Height, points);
        Axis(svg, Left, Top, plot, width - Right, max, unit);
        for (var i = 0; i < categories.Count; i++)
        {
            var x = Left + gap + i * (barWidth + gap);
            double y = Top + plot;
            for (var s = 0; s < series.Count; s++)
            {
                var v = series[s].Values[i];
                if (v <= 0)
                    continue;
                var h = v / max * plot;
                y -= h;
                svg.Append(CultureInfo.InvariantCulture, $"""<rect class="bar" x="{x}" y="{F(y)}" width="{barWidth}" height="{F(h)}" fill="{Palette[s % Palette.Length]}" data-series="{E(series[s].Name)}" data-value="{F(v)}"><title>{E(categories[i])} · {E(series[s].Name)}: {Label(v, unit)}</title></rect>""").Append('\n');
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="total" x="{x + barWidth / 2}" y="{F(y - 4)}" text-anchor="middle">{Label(totals[i], unit)}</text>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="category" x="{x + barWidth / 2}" y="{Top + plot + 14}" text-anchor="end" transform="rotate(-35 {x + barWidth / 2} {Top + plot + 14})">{E(categories[i])}</text>""").Append('\n');
        }
        Legend(svg, width - Right + 12, Top, series.Select(s => s.Name).ToList());
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>Horizontal bars, one per label, with optional lower/upper bounds drawn as whiskers.</summary>
    public static string HorizontalBars(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<double> values,
        IReadOnlyList<(double Lower, double Upper)>? bounds = null, string unit = "", double? fixedMax = null)
    {
        const int Left = 190, Right = 70, Top = 10, Row = 22;
        const int Width = 720;
        var height = Top + labels.Count * Row + 30;
        var max = fixedMax ?? NiceMax(Math.Max(values.DefaultIfEmpty(0).Max(), bounds?.Select(b => b.Upper).DefaultIfEmpty(0).Max() ?? 0));
        var plot = Width - Left - Right;
        var svg = Open(id, title, Width, height, values.Count(v => v > 0));
        for (var t = 0; t <= 4; t++)
        {
            var x = Left + plot * t / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"""<line class="grid" x1="{F(x)}" y1="{Top}" x2="{F(x)}" y2="{height - 24}"/><text class="tick" x="{F(x)}" y="{height - 10}" text-anchor="middle">{Label(max * t / 4, unit)}</text>""").Append('\n');
        }
        for (var i = 0; i < labels.Count; i++)
        {
            var y = Top + i * Row;
            var w = values[i] / max * plot;
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="label" x="{Left - 6}" y="{y + 15}" text-anchor="end">{E(labels[i])}</text>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="bar" x="{Left}" y="{y + 3}" width="{F(w)}" height="{Row - 6}" fill="{Palette[0]}" data-value="{F(values[i])}"><title>{E(labels[i])}: {Label(values[i], unit)}</title></rect>""").Append('\n');
            var end = w;
            if (bounds is not null)
            {
                var (lo, hi) = bounds[i];
                var x1 = Left + lo / max * plot;
                var x2 = Left + hi / max * plot;
                end = Math.Max(end, x2 - Left);
                svg.Append(CultureInfo.InvariantCulture, $"""<path class="bounds" d="M{F(x1)} {y + Row / 2} H{F(x2)} M{F(x1)} {y + 6} V{y + Row - 6} M{F(x2)} {y + 6} V{y + Row - 6}" stroke="#333" fill="none"><title>bounds {Label(lo, unit)}–{Label(hi, unit)}</title></path>""").Append('\n');
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="value" x="{F(Left + end + 4)}" y="{y + 15}">{Label(values[i], unit)}</text>""").Append('\n');
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static StringBuilder Open(string id, string title, int width, int height, int points) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"""<svg id="{E(id)}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{E(title)}" data-points="{points}">""")
            .Append('\n').Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>\n");

    private static void Axis(StringBuilder svg, int left, int top, int plot, int right, double max, string unit)
    {
        for (var t = 0; t <= 4; t++)
        {
            var y = top + plot - plot * t / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"""<line class="grid" x1="{left}" y1="{F(y)}" x2="{right}" y2="{F(y)}"/><text class="tick" x="{left - 6}" y="{F(y + 4)}" text-anchor="end">{Label(max * t / 4, unit)}</text>""").Append('\n');
        }
    }

    private static void Legend(StringBuilder svg, int x, int y, List<string> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="key" x="{x}" y="{y + i * 18}" width="12" height="12" fill="{Palette[i % Palette.Length]}"/><text class="legend" x="{x + 18}" y="{y + i * 18 + 10}">{E(names[i])}</text>""").Append('\n');
        }
    }
}
