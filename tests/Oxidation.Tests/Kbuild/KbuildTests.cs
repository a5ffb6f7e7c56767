using System.Text;
using Oxidation.Kbuild;

namespace Oxidation.Tests.Kbuild;

public sealed class KbuildTests
{
    private static KbuildTree Tree(params (string Path, string Text)[] makefiles)
    {
        var tree = new KbuildTree();
        foreach (var (path, text) in makefiles)
            tree.Add(KbuildMakefile.Parse(path, Encoding.UTF8.GetBytes(text)));
        return tree;
    }

    [Fact]
    public void An_object_under_ifdef_is_built_by_the_condition_not_the_goal_symbol()
    {
        // drivers/net/phy/Makefile in 6.12, tab-indented as there.
        var tree = Tree(("drivers/net/phy/Makefile", "ifdef CONFIG_AX88796B_RUST_PHY\n  obj-$(CONFIG_AX88796B_PHY)\t+= ax88796b_rust.o\nelse\n  obj-$(CONFIG_AX88796B_PHY)\t+= ax88796b.o\nendif\n"),
            ("drivers/net/Makefile", "obj-$(CONFIG_PHYLIB) += phy/\n"), ("drivers/Makefile", "obj-y += net/\n"));
        var rust = tree.Resolve("drivers/net/phy/ax88796b_rust.o")!;
        Assert.Equal("AX88796B_RUST_PHY", rust.Symbol);
        Assert.Equal(["AX88796B_RUST_PHY", "AX88796B_PHY", "PHYLIB"], rust.Symbols);
        Assert.Equal(["!AX88796B_RUST_PHY", "AX88796B_PHY", "PHYLIB"], tree.Resolve("drivers/net/phy/ax88796b.o")!.Symbols);
    }

    [Fact]
    public void Composite_members_resolve_to_the_composite_and_keep_their_own_symbol()
    {
        var tree = Tree(("drivers/gpu/drm/Makefile", "drm-y := drm_core.o \\\n\tdrm_file.o\ndrm-$(CONFIG_DRM_PANIC_SCREEN_QR_CODE) += drm_panic_qr.o\nobj-$(CONFIG_DRM) += drm.o\n"));
        var qr = tree.Resolve("drivers/gpu/drm/drm_panic_qr.o")!;
        Assert.Equal(("DRM_PANIC_SCREEN_QR_CODE", "drm"), (qr.Symbol, qr.LinkedInto));
        Assert.Equal("DRM", tree.Resolve("drivers/gpu/drm/drm_file.o")!.Symbol); // a continued line
    }

    [Fact]
    public void Members_named_with_a_subdirectory_path_are_found_from_the_parent_makefile()
    {
        var tree = Tree(("drivers/foo/Makefile", "foo-objs := core.o sub/part_rust.o\nobj-$(CONFIG_FOO) += foo.o\n"));
        var part = tree.Resolve("drivers/foo/sub/part_rust.o")!;
        Assert.Equal(("FOO", "foo"), (part.Symbol, part.LinkedInto));
    }

    [Fact]
    public void The_general_RUST_switch_gives_way_to_a_more_specific_symbol()
    {
        // mm/kasan/Makefile in 6.12.
        var tree = Tree(("mm/kasan/Makefile", "kasan_test-objs := kasan_test_c.o\nifdef CONFIG_RUST\n\tkasan_test-objs += kasan_test_rust.o\nendif\nobj-$(CONFIG_KASAN_KUNIT_TEST) += kasan_test.o\n"),
            ("mm/Makefile", "obj-$(CONFIG_KASAN) += kasan/\n"));
        var r = tree.Resolve("mm/kasan/kasan_test_rust.o")!;
        Assert.Equal("KASAN_KUNIT_TEST", r.Symbol);
        Assert.Equal(["RUST", "KASAN_KUNIT_TEST", "KASAN"], r.Symbols);
    }

    [Fact]
    public void Ifeq_tests_and_comments_are_understood() =>
        Assert.Equal(["!BAR", "FOO"], Tree(("x/Makefile", "ifeq ($(CONFIG_BAR),)\nobj-$(CONFIG_FOO) += a.o # a comment\nendif\n")).Resolve("x/a.o")!.Symbols);

    [Fact]
    public void An_object_no_makefile_names_is_not_resolved() =>
        Assert.Null(Tree(("x/Makefile", "obj-y += a.o\n")).Resolve("x/b.o"));
    // Found by the fuzz test: "ifdef CONFIG_" (nothing after the prefix, or a comment) was a condition on the symbol "".
    [Fact]
    public void An_ifdef_naming_no_symbol_adds_no_condition()
    {
        var tree = Tree(("x/Makefile", "ifdef CONFIG_\nobj-y += a.o\nendif\nifndef CONFIG_# comment\nobj-y += b.o\nendif\n"));
        Assert.Equal([], tree.Resolve("x/a.o")!.Symbols);
        Assert.Equal([], tree.Resolve("x/b.o")!.Symbols);
    }
    // Found by the fuzz test: each goal took every enclosing ifdef, so 30,000 nested ifdefs with a goal each cost 30,000 x 30,000.
    [Fact]
    public async Task Deeply_nested_ifdefs_are_read_in_linear_time_and_give_at_most_64_conditions()
    {
        var text = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"ifdef CONFIG_A{i}\nobj-y += a{i}.o\n"));
        var makefile = await Task.Run(() => KbuildMakefile.Parse("x/Makefile", Encoding.UTF8.GetBytes(text))).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(30_000, makefile.Objects.Count);
        Assert.Equal(["A0", "A1", "A2"], makefile.Objects[2].Conditions.Select(c => c.Symbol));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"A{i}"), makefile.Objects[^1].Conditions.Select(c => c.Symbol));
    }
}
