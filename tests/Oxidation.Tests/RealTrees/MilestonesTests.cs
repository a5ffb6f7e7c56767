using Oxidation.Releases;

namespace Oxidation.Tests.RealTrees;

/// <summary><see cref="Milestones"/> over Debian's 6.1.192 and 6.12.118 (the units and helper files checked as in
/// <see cref="ReleaseDiffTests"/>: 6.1 builds only rust_minimal and keeps its helpers in rust/helpers.c).</summary>
public sealed class MilestonesTests
{
    private static readonly Lazy<List<Milestone>> Real = new(() => Milestones.Of([KernelTrees.Linux612, KernelTrees.Linux61]));

    [Fact]
    public void The_first_driver_not_marked_experimental_is_in_6_12_and_not_in_6_1()
    {
        var m = Assert.Single(Real.Value, m => m.Kind == "stable_driver");
        // rnull_mod (drivers/block/Kconfig: "Rust null block driver (Experimental)") is marked experimental; the two PHY drivers are not.
        Assert.Equal(new Milestone("stable_driver", "qt2025_phy, rust_asix_phy", "6.12.118", "6.1.192", new DateOnly(2024, 11, 17), new DateOnly(2022, 12, 11)), m);
    }

    [Fact]
    public void Each_kind_lists_its_first_release()
    {
        string First(string kind, string name) => Real.Value.Single(m => m.Kind == kind && m.Name == name).First;
        Assert.Equal("6.1.192", First("unit", "rust_minimal"));
        Assert.Null(Real.Value.Single(m => m.Name == "rust_minimal").Before);
        Assert.Equal("6.12.118", First("unit", "rnull_mod"));
        Assert.Equal("6.12.118", First("abstraction", "net"));
        Assert.Equal("6.1.192", First("crate", "alloc"));
        Assert.Equal("6.12.118", First("crate", "uapi"));
        Assert.Equal("6.1.192", First("helper_file", "rust/helpers.c"));
        Assert.Equal("6.12.118", First("helper_file", "rust/helpers/blk.c"));
        Assert.Equal("6.12.118", First("maintainers", "ASIX PHY DRIVER [RUST]"));
        Assert.Equal(7, Real.Value.Count(m => m.Kind == "unit"));
        Assert.Equal(["6.1.192", "6.12.118"], Release.SortNames(Real.Value.Select(m => m.First).Distinct()));
    }

    [Theory]
    [InlineData("6.12.118", "2024-11-17")]
    [InlineData("6.12", "2024-11-17")]
    [InlineData("v6.1", "2022-12-11")]
    [InlineData("6.6.1", "2023-10-30")]
    [InlineData("6.13-rc1", null)]
    [InlineData("7.3", null)]
    [InlineData("not-a-release", null)]
    public void Releases_are_dated_by_their_mainline_series(string release, string? date) =>
        Assert.Equal(date, ReleaseDateCatalog.DateOf(release)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_date_catalog_is_sorted_and_increasing()
    {
        var entries = ReleaseDateCatalog.Mainline.ToList();
        Assert.Equal(entries.Select(e => e.Key), Release.SortNames(entries.Select(e => e.Key)));
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.Value < p.Second.Value));
    }
}
