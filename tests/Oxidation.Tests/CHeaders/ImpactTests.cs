using Oxidation.CHeaders;
using Oxidation.Tests.RealTrees;

namespace Oxidation.Tests.CHeaders;

/// <summary>
/// Impact and coverage on the real trees, from the one shared scan per tree (KernelTrees). Expected values were checked
/// with grep on the unpacked trees: e.g. <c>grep -n '\.speed\b' rust/kernel/net/phy.rs</c> (166),
/// <c>sed -n 715p include/linux/phy.h</c> (<c>int speed;</c>), <c>grep -n 'define krealloc' include/linux/slab.h</c> (454),
/// <c>grep -rn bindings::krealloc rust</c> (allocator.rs:55 in 6.12; allocator.rs:39 and 46 in 6.1), <c>sed -n 533p include/linux/phy.h</c>
/// (<c>PHY_DOWN = 0,</c>), <c>grep -n MDIO_MMD_AN include/uapi/linux/mdio.h</c> (25) and <c>rust/kernel/net/phy/reg.rs</c> (155).
/// </summary>
public sealed class ImpactTests
{
    private static readonly Lazy<ReleaseReach> Reach612 = new(() => ReleaseReach.FromScan(KernelTrees.Linux612)!);
    private static readonly Lazy<ReleaseReach> Reach61 = new(() => ReleaseReach.FromScan(KernelTrees.Linux61)!);

    private static DeclarationImpact One(ReleaseReach reach, string symbol) =>
        Assert.Single(Impact.OfSymbols(reach, [symbol]).Declarations);

    [Fact]
    public void Declarations_checked_by_hand_on_6_12()
    {
        var r = Reach612.Value;
        var speed = One(r, "struct phy_device.speed");
        Assert.Equal(("field", "include/linux/phy.h", 715, ImpactVerdict.Abstraction), (speed.Kind, speed.Header, speed.Line, speed.Verdict));
        Assert.Equal([("rust/kernel/net/phy.rs", 166, "field")], speed.Uses.Select(u => (u.Path, u.Line, u.Via)));
        Assert.Equal(["net"], speed.Modules);
        Assert.Contains("rust_asix_phy", speed.Units);
        Assert.Contains(speed.CSide, c => c.Entry == "ETHERNET PHY LIBRARY");

        var start = One(r, "blk_mq_start_request");
        Assert.Equal(("function", "include/linux/blk-mq.h", 847), (start.Kind, start.Header, start.Line));
        Assert.Equal([("rust/kernel/block/mq/request.rs", 88)], start.Uses.Select(u => (u.Path, u.Line)));

        var krealloc = One(r, "krealloc");
        Assert.Equal(("macro", "include/linux/slab.h", 454), (krealloc.Kind, krealloc.Header, krealloc.Line));
        Assert.Equal(["rust_helper_krealloc"], krealloc.Helpers);
        Assert.Equal([("rust/kernel/alloc/allocator.rs", 55, "helper")], krealloc.Uses.Select(u => (u.Path, u.Line, u.Via)));

        var kmalloc = One(r, "kmalloc");
        Assert.Equal(("macro", 900, ImpactVerdict.Unused), (kmalloc.Kind, kmalloc.Line, kmalloc.Verdict));

        var refcount = One(r, "refcount_t");
        Assert.Equal([("rust/kernel/sync/arc.rs", 136), ("rust/kernel/sync/arc.rs", 148)], refcount.Uses.Select(u => (u.Path, u.Line)));

        var mdio = One(r, "MDIO_MMD_AN");
        Assert.Equal(("include/uapi/linux/mdio.h", 25), (mdio.Header, mdio.Line));
        Assert.Equal([("rust/kernel/net/phy/reg.rs", 155, "uapi")], mdio.Uses.Select(u => (u.Path, u.Line, u.Via)));

        var down = One(r, "PHY_DOWN");
        Assert.Equal(("enum_value", "enum phy_state", 533), (down.Kind, down.Parent, down.Line));
        Assert.Equal([("rust/kernel/net/phy.rs", 111)], down.Uses.Select(u => (u.Path, u.Line)));
    }

    [Fact]
    public void Declarations_checked_by_hand_on_6_1()
    {
        var r = Reach61.Value;
        var krealloc = One(r, "krealloc");
        Assert.Equal(("function", "include/linux/slab.h", 197), (krealloc.Kind, krealloc.Header, krealloc.Line));
        Assert.Equal([("rust/kernel/allocator.rs", 39), ("rust/kernel/allocator.rs", 46)], krealloc.Uses.Select(u => (u.Path, u.Line)));
        // rust/helpers.c:24 rust_helper_BUG calls BUG(); rust/kernel/lib.rs:74 calls bindings::BUG.
        var bug = Impact.OfSymbols(r, ["BUG"]).Declarations;
        Assert.Contains(bug, d => d.Header == "arch/x86/include/asm/bug.h" && d.Helpers.SequenceEqual(["rust_helper_BUG"]) && d.Uses.Any(u => u.Path == "rust/kernel/lib.rs" && u.Line == 74));
    }

    [Fact]
    public void A_symbol_that_does_not_exist_is_named_with_near_names()
    {
        var report = Impact.OfSymbols(Reach612.Value, ["kmaloc"]);
        Assert.Empty(report.Declarations);
        Assert.Contains("near names: kmalloc", Assert.Single(report.Problems).Reason);
    }

    private static string Patch(string path, int line, string old, string @new) =>
        $"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -{line},1 +{line},1 @@\n-{old}\n+{@new}\n";

    [Fact]
    public void Patches_have_the_exact_impact()
    {
        var r = Reach612.Value;
        DeclarationImpact Only(string patch) => Assert.Single(Impact.OfPatch(r, UnifiedDiffParser.Parse(patch, "t.patch")).Declarations);
        // A bound function's signature.
        var sig = Only(Patch("include/linux/blk-mq.h", 847, "void blk_mq_start_request(struct request *rq);", "void blk_mq_start_request(struct request *rq, int flags);"));
        Assert.Equal(("function", "blk_mq_start_request", ImpactVerdict.Abstraction), (sig.Kind, sig.Name, sig.Verdict));
        // A field Rust reads: the field, not its struct.
        var field = Only(Patch("include/linux/phy.h", 715, "\tint speed;", "\tlong speed;"));
        Assert.Equal(("field", "speed", "struct phy_device"), (field.Kind, field.Name, field.Parent));
        // A macro a helper wraps.
        var macro = Only(Patch("include/linux/slab.h", 454, "#define krealloc(...) x", "#define krealloc(...) y"));
        Assert.Equal(["rust_helper_krealloc"], macro.Helpers);
        // An enum value.
        var value = Only(Patch("include/linux/phy.h", 533, "\tPHY_DOWN = 0,", "\tPHY_DOWN = 1,"));
        Assert.Equal(("enum_value", "PHY_DOWN"), (value.Kind, value.Name));
        // A rename of a function: the old declaration is what Rust loses.
        var renamed = Only(Patch("include/linux/blk-mq.h", 847, "void blk_mq_start_request(struct request *rq);", "void blk_mq_begin_request(struct request *rq);"));
        Assert.Equal("blk_mq_start_request", renamed.Name);
        // An unrelated header, a file rename.
        var unrelated = Impact.OfPatch(r, UnifiedDiffParser.Parse(Patch("include/linux/zstd.h", 10, "a", "b")
            + "diff --git a/include/linux/phy.h b/include/linux/phy2.h\nsimilarity index 100%\nrename from include/linux/phy.h\nrename to include/linux/phy2.h\n", "t.patch"));
        Assert.Empty(unrelated.Declarations);
        Assert.Equal(["include/linux/zstd.h", "include/linux/phy.h"], unrelated.Problems.Select(p => p.Path).OrderByDescending(p => p.Contains("zstd")));
    }

    [Theory]
    [InlineData("", "t.patch: empty patch")]
    [InlineData("hello\n", "t.patch: not a unified diff (no 'diff --git' or '---'/'+++' file header)")]
    [InlineData("--- a/x.h\n+++ b/x.h\n@@ -1,2 +1,2 @@\n-a\n", "t.patch:3: hunk ends early (the patch is cut short)")]
    [InlineData("--- a/x.h\n+++ b/x.h\n@@ nonsense @@\n", "t.patch:3: malformed hunk header: @@ nonsense @@")]
    public void Bad_patches_are_one_line_errors(string patch, string message) =>
        Assert.Equal(message, Assert.Throws<PatchException>(() => UnifiedDiffParser.Parse(patch, "t.patch")).Message);

    [Fact]
    public void Coverage_counts_what_rust_reaches()
    {
        var c = BindingCoverage.Of(Reach612.Value);
        Assert.True(c.Total.FunctionsReached > 0 && c.Total.FunctionsReached < c.Total.Functions);
        var phy = Assert.Single(c.Headers, h => h.Name == "include/linux/phy.h");
        Assert.True(phy.StructsReached >= 1);
    }
}
