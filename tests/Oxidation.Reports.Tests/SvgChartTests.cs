using System.Xml.Linq;
using Oxidation.Reports.Charts;

namespace Oxidation.Reports.Tests;

public sealed class SvgChartTests
{
    [Fact]
    public void Stacked_bars_draw_one_rect_per_non_zero_value_and_count_them()
    {
        var svg = SvgChart.StackedBars("g", "Growth <&>", ["6.1", "6.12"], [new Series("a", [1, 2]), new Series("b", [0, 3])]);
        var doc = XDocument.Parse(svg); // well-formed XML: titles are escaped
        XNamespace ns = "http://www.w3.org/2000/svg";
        var bars = doc.Descendants(ns + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(3, bars.Count);
        Assert.Equal("3", doc.Root!.Attribute("data-points")!.Value);
        Assert.Equal(["1", "2", "3"], bars.Select(b => b.Attribute("data-value")!.Value));
        Assert.Equal("Growth <&>", doc.Root.Element(ns + "title")!.Value);
        // Totals above the bars.
        Assert.Equal(["1", "5"], doc.Descendants(ns + "text").Where(t => (string?)t.Attribute("class") == "total").Select(t => t.Value));
    }

    // The whole drawing, pinned: a change to layout, escaping or number formatting shows as a diff of these files
    // (rewrite with UPDATE_GOLDEN=1 and review it). Inputs are the 2024 figures and bounds of an earlier report.
    [Fact]
    public void Horizontal_bars_match_the_golden_file() =>
        Golden.Assert("horizontal-bars.svg", SvgChart.HorizontalBars("h", "Memory-safety share <by year>", ["2023", "2024"], [30.7, 47.1], [(30.7, 47.1), (40, 50)], "%", 100));

    [Fact]
    public void Stacked_bars_match_the_golden_file() =>
        Golden.Assert("stacked-bars.svg", SvgChart.StackedBars("g", "Rust lines & files", ["6.1", "6.12"], [new Series("kernel", [12_500, 28_101]), new Series("vendored", [0, 3_000])]));

    [Fact]
    public void Bounds_are_drawn_as_whiskers_at_their_values()
    {
        var doc = XDocument.Parse(SvgChart.HorizontalBars("h", "t", ["2024"], [29.1], [(29.1, 47.2)], "%", 100));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var path = doc.Descendants(ns + "path").Single();
        // Plot from x=190 over 460 px for 0–100%: 29.1% → 323.86, 47.2% → 407.12.
        Assert.StartsWith("M323.86 21 H407.12", path.Attribute("d")!.Value);
    }

    [Theory]
    [InlineData(1234, "", "1,234")]
    [InlineData(12_500, "", "12.5k")]
    [InlineData(28_101_222, "", "28.1M")]
    [InlineData(30.68, "%", "30.7%")]
    public void Labels_are_short(double value, string unit, string label) => Assert.Equal(label, SvgChart.Label(value, unit));
}
