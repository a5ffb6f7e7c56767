using Oxidation.Releases;

namespace Oxidation.Tests.RealTrees;

/// <summary>
/// <see cref="ReleaseDiff"/> between Debian's 6.1.192 and 6.12.118 trees. Expected values checked on the unpacked trees:
/// units from their Makefiles and Kconfig (6.1 builds only samples/rust/rust_minimal.rs), MAINTAINERS entries and helpers
/// with grep, the unsafe block in rust/kernel/str.rs:584 (6.12) read by hand.
/// </summary>
public sealed class ReleaseDiffTests
{
    private static readonly Lazy<ReleaseDiff> Real = new(() => ReleaseDiff.Compare(KernelTrees.Linux61, KernelTrees.Linux612));

    private static ReleaseDiff Diff => Real.Value;

    [Fact]
    public void Units_new_in_6_12_are_added_and_none_removed()
    {
        Assert.Equal(("6.1.192", "6.12.118"), (Diff.From, Diff.To));
        Assert.Equal(
            [
                ("drm_panic_qr", "DRM_PANIC_SCREEN_QR_CODE", false), ("kasan_test_rust", "KASAN_KUNIT_TEST", false),
                ("qt2025_phy", "AMCC_QT2025_PHY", false), ("rnull_mod", "BLK_DEV_RUST_NULL", true),
                ("rust_asix_phy", "AX88796B_RUST_PHY", false), ("rust_print", "SAMPLE_RUST_PRINT", false),
            ],
            Diff.UnitsAdded.Select(u => (u.Name, u.Kconfig, u.Experimental)));
        Assert.Equal(["drivers/block/rnull.rs"], Diff.UnitsAdded.Single(u => u.Name == "rnull_mod").Files);
        Assert.Empty(Diff.UnitsRemoved);
        Assert.Empty(Diff.UnitsRenamed);
        Assert.Empty(Diff.ExperimentalDropped);
    }

    [Fact]
    public void Bindings_helpers_and_maintainers_new_in_6_12_are_listed()
    {
        // rust/uapi/ and rust/helpers/*.c are new in 6.12; bindings_helper.h includes linux/phy.h and linux/blk-mq.h there, not in 6.1.
        Assert.Contains("rust/uapi/uapi_helper.h", Diff.HeadersAdded);
        Assert.Contains("include/linux/phy.h", Diff.HeadersAdded);
        Assert.Contains("include/linux/blk-mq.h", Diff.HeadersAdded);
        Assert.Equal((268, 32), (Diff.HeadersAdded.Count, Diff.HeadersRemoved.Count));
        Assert.Contains(new HelperRef("rust_helper_blk_mq_rq_to_pdu", "rust/helpers/blk.c"), Diff.HelpersAdded);
        Assert.Contains(new HelperRef("rust_helper_mutex_lock", "rust/helpers/mutex.c"), Diff.HelpersAdded);
        // 6.1 named its constants BINDINGS_*, 6.12 RUST_CONST_HELPER_*.
        Assert.Equal(["BINDINGS_ARCH_SLAB_MINALIGN", "BINDINGS_GFP_KERNEL", "BINDINGS_VM_MERGEABLE", "BINDINGS___GFP_ZERO"], Diff.HelpersRemoved.Select(h => h.Name));
        Assert.Contains("ASIX PHY DRIVER [RUST]", Diff.MaintainersAdded);
        Assert.Contains("BLOCK LAYER DEVICE DRIVER API [RUST]", Diff.MaintainersAdded);
        Assert.Empty(Diff.MaintainersRemoved);
        Assert.Equal(["uapi"], Diff.CratesAdded);
        Assert.Equal(["alloc"], Diff.CratesRemoved);
        Assert.Contains("net", Diff.AbstractionsAdded);
        Assert.Contains("block", Diff.AbstractionsAdded);
        Assert.Equal(["allocator"], Diff.AbstractionsRemoved);
    }

    [Fact]
    public void Unsafe_and_lines_per_area_are_compared()
    {
        // 6.1: 16 blocks, 11 justified, none TODO (Linux61Tests); 6.12: 496 blocks.
        Assert.Equal((16L, 496L), (Diff.Unsafe.Blocks.From, Diff.Unsafe.Blocks.To));
        Assert.Equal((5L, 3L), (Diff.Unsafe.BlocksUnjustified.From, Diff.Unsafe.BlocksUnjustified.To));
        // rust/kernel/str.rs:584 `let unchecked_str = unsafe { checked_cstr.as_str_unchecked() };` has no SAFETY comment.
        var str = Assert.Single(Diff.NewUnjustified, g => g.Path == "rust/kernel/str.rs");
        Assert.Equal((0, 1), (str.From, str.To));
        Assert.Equal([584], str.Lines);
        Assert.Equal((813L, 9738L), (Diff.KernelRustCode.From, Diff.KernelRustCode.To));
        Assert.Equal((4115L, 0L), (Diff.VendoredRustCode.From, Diff.VendoredRustCode.To));
        Assert.Equal((0L, 998L), (Diff.Areas.Single(a => a.Area == "drivers").Code.From, Diff.Areas.Single(a => a.Area == "drivers").Code.To));
    }

    [Fact]
    public void A_unit_under_a_new_name_with_its_kconfig_symbol_is_a_rename_and_a_dropped_flag_is_listed()
    {
        var s = KernelTrees.Linux612;
        var units = s.Rust.Units.Select(u => u.Name switch
        {
            "rust_print" => u with { Name = "rust_print_v2", Files = ["samples/rust/rust_print_v2.rs"] },
            "rnull_mod" => u with { Experimental = false },
            "qt2025_phy" => u with { Name = "qt2025", Kconfig = null, KconfigAll = [] },
            _ => u,
        }).ToList();
        var diff = ReleaseDiff.Compare(s, s with { Release = "6.12.119", Rust = s.Rust with { Units = units } });
        Assert.Empty(diff.UnitsAdded);
        Assert.Empty(diff.UnitsRemoved);
        Assert.Equal([("qt2025_phy", "qt2025", "files"), ("rust_print", "rust_print_v2", "kconfig")], diff.UnitsRenamed.Select(r => (r.From.Name, r.To.Name, r.MatchedBy)));
        Assert.Equal(["rnull_mod"], diff.ExperimentalDropped);
        Assert.Empty(diff.NewUnjustified);
        Assert.All(diff.Areas, a => Assert.Equal(0, a.Code.Delta));
    }
}
