using System.Text;
using Oxidation.CHeaders;

namespace Oxidation.Tests.CHeaders;

/// <summary>
/// Declarations and the bindgen include closure on Debian's 6.12.117 and 6.1.192 trees. Every pinned line was checked
/// with the grep above it, run in the unpacked tree (<c>tar -xJf /usr/src/linux-source-6.12.tar.xz</c>).
/// </summary>
public sealed class KernelHeadersTests
{
    private static KernelHeaders L612 => KernelHeaders.Linux612;

    private static KernelHeaders L61 => KernelHeaders.Linux61;

    private static (string Header, int Line) At(IReadOnlyList<IndexedDeclaration> found) =>
        (Assert.Single(found).Header, found[0].Line);

    [Fact]
    public void Linux612_phy_device_has_the_fields_rust_net_phy_reads()
    {
        // grep -n "^struct phy_device {\|^	struct mdio_device mdio;\|^	u32 phy_id;\|^	const struct phy_driver \*drv;\|^	int speed;\|^	unsigned link:1;" include/linux/phy.h
        // → 663, 664, 668, 673, 692, 715 (and 936: phy_id of struct phy_driver)
        var index = L612.Index;
        Assert.Equal(("include/linux/phy.h", 663), At(index.Struct("phy_device")));
        Assert.Equal(("include/linux/phy.h", 664), At(index.Field("struct phy_device", "mdio")));
        Assert.Equal("struct mdio_device", index.Field("struct phy_device", "mdio")[0].Declaration.Text);
        Assert.Equal("const struct phy_driver *", index.Field("struct phy_device", "drv")[0].Declaration.Text);
        Assert.Equal(673, At(index.Field("struct phy_device", "phy_id")).Line);
        Assert.Equal(936, At(index.Field("struct phy_driver", "phy_id")).Line);
        Assert.Equal(692, At(index.Field("struct phy_device", "link")).Line);
        Assert.Equal(715, At(index.Field("struct phy_device", "speed")).Line);
    }

    [Fact]
    public void Linux612_functions_allocators_and_types()
    {
        var index = L612.Index;
        // grep -n "blk_mq_alloc_tag_set(\|void blk_mq_start_request(" include/linux/blk-mq.h → 728, 847
        Assert.Equal(("include/linux/blk-mq.h", 728), At(index.Functions("blk_mq_alloc_tag_set")));
        Assert.Equal("int blk_mq_alloc_tag_set(struct blk_mq_tag_set *set)", index.Functions("blk_mq_alloc_tag_set")[0].Declaration.Text);
        Assert.Equal(("include/linux/blk-mq.h", 847), At(index.Functions("blk_mq_start_request")));
        // grep -n "define kmalloc(\|kmalloc_noprof(size_t\|define krealloc(" include/linux/slab.h → 454 krealloc(...), 885 static
        // __always_inline … kmalloc_noprof(size_t size, gfp_t flags), 900 kmalloc(...): in 6.12 kmalloc is a macro over the inline.
        Assert.Empty(index.Functions("kmalloc"));
        var kmalloc = index.Macros("kmalloc");
        Assert.Equal(("include/linux/slab.h", 900), At(kmalloc));
        Assert.Equal(["..."], kmalloc[0].Declaration.Parameters);
        Assert.Equal("alloc_hooks(kmalloc_noprof(__VA_ARGS__))", kmalloc[0].Declaration.Text);
        var noprof = Assert.Single(index.Functions("kmalloc_noprof")).Declaration;
        Assert.True(noprof.IsStaticInline);
        Assert.Equal((885, new LineRange(886, 899)), (noprof.Line, noprof.Body!.Value));
        Assert.Equal(("include/linux/slab.h", 454), At(index.Macros("krealloc")));
        // grep -n "refcount_t;" include/linux/refcount_types.h → 17 (typedef struct refcount_struct { … } refcount_t at 15-17)
        Assert.Equal(("include/linux/refcount_types.h", 17), At(index.Typedefs("refcount_t")));
        Assert.Equal("typedef struct refcount_struct { … } refcount_t", index.Typedefs("refcount_t")[0].Declaration.Text);
        // grep -n "IS_ERR(__force" include/linux/err.h → 68, body to 71
        var isErr = Assert.Single(index.Functions("IS_ERR")).Declaration;
        Assert.Equal((68, new LineRange(69, 71), true), (isErr.Line, isErr.Body!.Value, isErr.IsStaticInline));
    }

    [Fact]
    public void Linux612_constants_macros_and_enum_values()
    {
        var index = L612.Index;
        // grep -n "define MII_BMCR" include/uapi/linux/mii.h → 16 "0x00"; grep -n "define ETH_ALEN" include/uapi/linux/if_ether.h → 32 "6"
        Assert.Equal(("include/uapi/linux/mii.h", 16), At(index.Macros("MII_BMCR")));
        Assert.Equal("0x00", index.Macros("MII_BMCR")[0].Declaration.Text);
        Assert.Equal("6", Assert.Single(index.Macros("ETH_ALEN")).Declaration.Text);
        // grep -rn "define REFCOUNT_INIT" include/linux/ → refcount.h:113; rust/helpers/refcount.c wraps it in rust_helper_REFCOUNT_INIT.
        Assert.Contains("return (refcount_t)REFCOUNT_INIT(n);", Encoding.UTF8.GetString(L612.Files["rust/helpers/refcount.c"]), StringComparison.Ordinal);
        var init = index.Macros("REFCOUNT_INIT");
        Assert.Equal(("include/linux/refcount.h", 113), At(init));
        Assert.Equal(["n"], init[0].Declaration.Parameters);
        // sed -n 532,541p include/linux/phy.h: enum phy_state { PHY_DOWN = 0, PHY_READY, PHY_HALTED, PHY_ERROR, PHY_UP, PHY_RUNNING, …
        var running = Assert.Single(index.EnumValue("PHY_RUNNING")).Declaration;
        Assert.Equal(("enum phy_state", 538, 5L), (running.Parent, running.Line, running.Value));
        // grep -n "BLK_STS_OK" include/linux/blk_types.h → 98 "#define	BLK_STS_OK 0"; gfp_types.h:378 GFP_KERNEL
        Assert.Equal(("include/linux/blk_types.h", 98), At(index.Macros("BLK_STS_OK")));
        Assert.Equal("(__GFP_RECLAIM | __GFP_IO | __GFP_FS)", Assert.Single(index.Macros("GFP_KERNEL")).Declaration.Text);
    }

    [Fact]
    public void Linux61_allocators_refcount_and_a_helper_macro()
    {
        var index = L61.Index;
        // grep -n "kmalloc(size_t size\|krealloc(const void" include/linux/slab.h → 197 krealloc prototype, 549 static __always_inline kmalloc
        var kmalloc = Assert.Single(index.Functions("kmalloc"));
        Assert.Equal(("include/linux/slab.h", 549, true, new LineRange(550, 569)), (kmalloc.Header, kmalloc.Line, kmalloc.Declaration.IsStaticInline, kmalloc.Declaration.Body!.Value));
        Assert.Empty(index.Macros("kmalloc"));
        Assert.Equal(("include/linux/slab.h", 197), At(index.Functions("krealloc")));
        Assert.Equal("void * __must_check krealloc(const void *objp, size_t new_size, gfp_t flags) __realloc_size(2)", index.Functions("krealloc")[0].Declaration.Text);
        // grep -n "refcount_t;" include/linux/refcount.h → 113 (6.1 has no refcount_types.h)
        Assert.Equal(("include/linux/refcount.h", 113), At(index.Typedefs("refcount_t")));
        // grep -n "^struct kref\|refcount_t refcount;" include/linux/kref.h → 19, 20
        Assert.Equal(("include/linux/kref.h", 20), At(index.Field("struct kref", "refcount")));
        // rust/helpers.c: rust_helper_BUG() { BUG(); }. grep -n "define BUG()" arch/x86/include/asm/bug.h include/asm-generic/bug.h
        // → x86 66, generic 63 and 158 (two #ifdef branches, both kept); x86's header comes first in the closure.
        Assert.Contains("BUG();", Encoding.UTF8.GetString(L61.Files["rust/helpers.c"]), StringComparison.Ordinal);
        Assert.Equal(
            [("arch/x86/include/asm/bug.h", 66), ("include/asm-generic/bug.h", 63), ("include/asm-generic/bug.h", 158)],
            index.Macros("BUG").Select(d => (d.Header, d.Line)));
        // grep -n "define	ENOMEM" include/uapi/asm-generic/errno-base.h → 16 "12" (uapi, reached through linux/errno.h)
        Assert.Equal("12", Assert.Single(index.Macros("ENOMEM")).Declaration.Text);
        // grep -n "^enum pageflags\|PG_locked," include/linux/page-flags.h → 100, 101
        var locked = Assert.Single(index.EnumValue("PG_locked")).Declaration;
        Assert.Equal(("enum pageflags", 101, 0L), (locked.Parent, locked.Line, locked.Value));
    }

    /// <summary>Measured on these trees (x86): headers reached from bindings_helper.h and uapi_helper.h (6.12; 6.1 has only
    /// the first) with the -include files, of which Kbuild wrappers; distinct unresolved spellings, of which generated by
    /// the build (generated/autoconf.h, bounds.h, timeconst.h, asm-offsets.h or 6.1's autoksyms.h, asm/unistd_32.h,
    /// unistd_64.h, unistd_64_x32.h, unistd_32_ia32.h). The rest are behind configuration x86 does not have:
    /// asm/compiler.h (#ifdef CONFIG_HAVE_ARCH_COMPILER_H), asm/hash.h (CONFIG_HAVE_ARCH_HASH), asm/membarrier.h
    /// (CONFIG_ARCH_HAS_MEMBARRIER_CALLBACKS), and in 6.1 asm/intrinsics.h (compiler-intel.h's #ifdef __ECC).
    /// Checked with sed on each includer at the line given.</summary>
    [Theory]
    [InlineData("6.12", 744, 15, 11, 8)]
    [InlineData("6.1", 508, 10, 12, 8)]
    public void The_bindgen_closure_has_the_measured_size(string release, int headers, int wrappers, int unresolved, int generated)
    {
        var closure = (release == "6.12" ? L612 : L61).Closure;
        Assert.Equal(
            (headers, wrappers, unresolved, generated),
            (closure.Headers.Count, closure.Headers.Count(h => h.IsGenericWrapper), closure.Unresolved.Count, closure.Unresolved.Count(u => u.Reason == UnresolvedReason.Generated)));
        Assert.DoesNotContain(closure.Unresolved, u => u.Reason == UnresolvedReason.Computed);
        Assert.Equal(release == "6.1" ? ["rust/uapi/uapi_helper.h"] : [], closure.MissingRoots);
    }

    [Fact]
    public void Linux612_closure_knows_who_included_what()
    {
        var closure = L612.Closure;
        // rust/uapi/uapi_helper.h:9 includes <uapi/asm-generic/ioctl.h>, but bindings_helper.h's unit reaches it first, from
        // grep -n "#include" include/asm-generic/ioctl.h → 5: #include <uapi/asm-generic/ioctl.h> (found through -Iinclude).
        var ioctl = closure.Find("include/uapi/asm-generic/ioctl.h")!;
        Assert.Equal(("include/asm-generic/ioctl.h", 5, 14), (ioctl.IncludedBy, ioctl.Line, ioctl.Depth));
        Assert.Equal(2, ioctl.Roots.Count);
        Assert.Equal(0, closure.Find("include/linux/kconfig.h")!.Depth);
        Assert.Equal(["rust/bindings/bindings_helper.h", "rust/uapi/uapi_helper.h"], closure.Find("include/linux/kconfig.h")!.Roots);
        Assert.Equal(["rust/bindings/bindings_helper.h"], closure.Find("include/linux/phy.h")!.Roots);
        Assert.All(closure.Headers.Where(h => !h.IsGenericWrapper), h => Assert.True(L612.Files.ContainsKey(h.Path), h.Path));
    }

    [Fact]
    public void Building_the_index_from_the_closure_in_parallel_gives_the_same_declarations()
    {
        var built = DeclarationIndex.Build(L612.Closure, p => L612.Files.GetValueOrDefault(p));
        Assert.Equal(L612.Index.Count, built.Count);
        Assert.Equal(L612.Index.Headers, built.Headers);
    }

    [Fact]
    public void Every_header_of_both_closures_parses_quickly_with_every_brace_matched()
    {
        foreach (var headers in new[] { L612, L61 })
        {
            Assert.True(headers.ClosureParseTime < TimeSpan.FromSeconds(5), $"{headers.ClosureParseTime}");
            Assert.Empty(headers.Parsed.Values.Where(p => p.Problems.Count > 0).Select(p => $"{p.Path}: {p.Problems[0]}"));
        }
    }
}
