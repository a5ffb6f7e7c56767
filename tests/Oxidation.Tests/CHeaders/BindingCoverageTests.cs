using Oxidation.CHeaders;
using Oxidation.Model;
using Oxidation.Tests.RealTrees;

namespace Oxidation.Tests.CHeaders;

/// <summary>
/// Binding coverage on the real 6.1 and 6.12 trees (KernelTrees), values checked by hand on the unpacked tarballs:
/// <list type="bullet">
/// <item>6.1 Rust names 12 items through <c>bindings::</c> (<c>grep -rhoE 'bindings::\w+' rust samples drivers --include=*.rs | sort -u</c>):
/// the functions krealloc and kfree (include/linux/slab.h) and _printk (include/linux/printk.h); the macros GFP_KERNEL and __GFP_ZERO
/// (include/linux/gfp_types.h), KERN_INFO and KERN_EMERG (include/linux/kern_levels.h), ENOMEM (include/uapi/asm-generic/errno-base.h)
/// and BUG (through rust_helper_BUG; defined in arch/x86/include/asm/bug.h and include/asm-generic/bug.h); <c>module</c> is a struct of
/// include/linux/module.h, which the closure of slab.h and mm.h does not reach, and gfp_t and BINDINGS_ARCH_SLAB_MINALIGN are a
/// typedef and a constant, not counted.</item>
/// <item>Macros per header: the distinct names of <c>#define</c> lines, include guard counted (it is a macro of the header):
/// kern_levels.h 23 in both, gfp_types.h 74 in 6.1, errno-base.h 35, sizes.h 48 in 6.12, include/uapi/asm-generic/ioctl.h 33 (34 names,
/// one only under <c>#ifndef __KERNEL__</c>).</item>
/// <item>6.12 include/linux/rbtree.h: 23 functions (23 lines starting <c>extern</c>, <c>static inline</c> or <c>static __always_inline</c>),
/// 10 reached: <c>grep -rhoE 'bindings::rb_[a-z_]+' rust</c> names rb_erase, rb_first, rb_first_postorder, rb_insert_color, rb_last,
/// rb_link_node (rust_helper_rb_link_node), rb_next, rb_next_postorder, rb_prev, rb_replace_node; rb_node and rb_root are structs of
/// rbtree_types.h.</item>
/// <item>6.12 kern_levels.h: 9 of its macros named by rust/ (KERN_EMERG … KERN_DEBUG without KERN_DEFAULT, and KERN_CONT); sizes.h 10
/// (SZ_1K … SZ_512K); ioctl.h 11 (the _IOC_* masks, shifts and directions).</item>
/// <item>MAINTAINERS of 6.1: SLAB ALLOCATOR's <c>F: include/linux/sl?b*.h</c> matches one closure header (slab.h); PRINTK's
/// <c>F: include/linux/printk.h</c>.</item>
/// </list>
/// </summary>
public sealed class BindingCoverageTests
{
    private static readonly Lazy<ReleaseCoverage> Coverage61 = new(() => BindingCoverage.Of(ReleaseReach.FromScan(KernelTrees.Linux61)!));
    private static readonly Lazy<ReleaseCoverage> Coverage612 = new(() => BindingCoverage.Of(ReleaseReach.FromScan(KernelTrees.Linux612)!));

    private static (int, int, int, int, int, int) Counts(CoverageRow r) =>
        (r.Functions, r.FunctionsReached, r.Structs, r.StructsReached, r.Macros, r.MacrosReached);

    private static CoverageRow Header(ReleaseCoverage c, string path) => Assert.Single(c.Headers, h => h.Name == path);

    [Fact]
    public void Totals_of_6_1_and_6_12()
    {
        var c61 = Coverage61.Value;
        Assert.Equal("6.1.192", c61.Release);
        Assert.Equal((3, 0, 7), (c61.Total.FunctionsReached, c61.Total.StructsReached, c61.Total.MacrosReached));
        Assert.Equal((6606, 575, 9947, 490), (c61.Total.Functions, c61.Total.Structs, c61.Total.Macros, c61.Total.Headers));
        var c612 = Coverage612.Value;
        Assert.Equal((91, 11975, 27, 1407, 87, 15508), (c612.Total.FunctionsReached, c612.Total.Functions, c612.Total.StructsReached, c612.Total.Structs,
            c612.Total.MacrosReached, c612.Total.Macros));
        Assert.Equal(718, c612.Total.Headers);
    }

    [Fact]
    public void Headers_of_6_1_checked_by_hand()
    {
        var c = Coverage61.Value;
        Assert.Equal(["arch/x86/include/asm/bug.h", "include/asm-generic/bug.h", "include/linux/gfp_types.h", "include/linux/kern_levels.h",
            "include/linux/printk.h", "include/linux/slab.h", "include/uapi/asm-generic/errno-base.h"], c.TopHeaders(100).Select(h => h.Name).Order(StringComparer.Ordinal));
        Assert.Equal((0, 0, 0, 0, 23, 2), Counts(Header(c, "include/linux/kern_levels.h")));
        Assert.Equal((0, 0, 0, 0, 74, 2), Counts(Header(c, "include/linux/gfp_types.h")));
        Assert.Equal((0, 0, 0, 0, 35, 1), Counts(Header(c, "include/uapi/asm-generic/errno-base.h")));
        Assert.Equal((53, 2, 0, 0, 45, 0), Counts(Header(c, "include/linux/slab.h")));
        Assert.Equal(1, Header(c, "include/linux/printk.h").FunctionsReached);
        Assert.DoesNotContain(c.Headers, h => h.Name == "include/linux/module.h");
        var slab = Assert.Single(c.Subsystems, s => s.Name == "SLAB ALLOCATOR");
        Assert.Equal(Counts(Header(c, "include/linux/slab.h")), Counts(slab));
        Assert.Equal(1, slab.Headers);
        Assert.Equal(Counts(Header(c, "include/linux/printk.h")), Counts(Assert.Single(c.Subsystems, s => s.Name == "PRINTK")));
    }

    [Fact]
    public void Headers_of_6_12_checked_by_hand()
    {
        var c = Coverage612.Value;
        Assert.Equal((23, 10, 0, 0), (Header(c, "include/linux/rbtree.h").Functions, Header(c, "include/linux/rbtree.h").FunctionsReached,
            Header(c, "include/linux/rbtree.h").Structs, Header(c, "include/linux/rbtree.h").StructsReached));
        Assert.Equal((0, 0, 0, 0, 23, 9), Counts(Header(c, "include/linux/kern_levels.h")));
        Assert.Equal((0, 0, 0, 0, 48, 10), Counts(Header(c, "include/linux/sizes.h")));
        Assert.Equal((0, 0, 0, 0, 33, 11), Counts(Header(c, "include/uapi/asm-generic/ioctl.h")));
        Assert.Equal("include/linux/phy.h", c.TopHeaders(1).Single().Name);
        Assert.Equal((269, 16, 13, 2, 57, 4), Counts(Header(c, "include/linux/phy.h")));
        Assert.Equal("ETHERNET PHY LIBRARY", c.TopSubsystems(1).Single().Name);
    }

    [Fact]
    public void A_group_is_the_sum_of_its_headers()
    {
        var c = Coverage612.Value;
        Assert.Equal(c.Headers.Count, c.Total.Headers);
        Assert.Equal(c.Headers.Sum(h => h.Functions), c.Total.Functions);
        Assert.Equal(c.Headers.Sum(h => h.MacrosReached), c.Total.MacrosReached);
        Assert.All(c.Subsystems, s => Assert.True(s.FunctionsReached <= s.Functions && s.Headers >= 1));
    }

    [Fact]
    public void Releases_are_ordered_by_version_not_by_scan()
    {
        var history = BindingCoverage.Across([Coverage612.Value, Coverage61.Value]);
        Assert.Equal(["6.1.192", "6.12.118"], history.Releases.Select(r => r.Release));
        Assert.Equal("6.12.118", history.Newest!.Release);
        Assert.Null(BindingCoverage.Across([]).Newest);
    }

    [Fact]
    public void Counts_a_declaration_once_per_header_and_name_and_a_field_as_its_struct()
    {
        (string, string, string)[] declarations =
        [
            ("include/a.h", "function", "f"), ("include/a.h", "function", "f"), ("include/a.h", "struct", "s"), ("include/a.h", "macro", "M"),
            ("include/a.h", "typedef", "t"), ("include/b.h", "function", "g"),
        ];
        RustCUse[] uses =
        [
            new("rust/kernel/x.rs", 1, "f", "bindings", "function", "f", "include/a.h", 1, null),
            new("rust/kernel/x.rs", 2, "s", "field", "field", "struct s.len", "include/a.h", 2, null),
            new("rust/kernel/x.rs", 3, "q", "bindings", null, null, null, null, null),
        ];
        var c = BindingCoverage.Of("9.9", declarations, uses, h => h == "include/a.h" ? [new MaintainersContact("A", [], [], [])] : []);
        Assert.Equal(("all headers bindgen reads", 2, 2, 1, 1, 1, 1, 0), (c.Total.Name, c.Total.Headers, c.Total.Functions, c.Total.FunctionsReached,
            c.Total.Structs, c.Total.StructsReached, c.Total.Macros, c.Total.MacrosReached));
        Assert.Equal(0.5, c.Total.Share("function"));
        Assert.Null(Header(c, "include/b.h").Share("struct"));
        Assert.Equal((1, 1, 1, 1, 1, 0), Counts(Assert.Single(c.Subsystems)));
    }
}
