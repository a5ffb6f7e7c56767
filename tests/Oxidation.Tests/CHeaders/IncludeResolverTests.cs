using System.Text;
using Oxidation.CHeaders;

namespace Oxidation.Tests.CHeaders;

public sealed class IncludeResolverTests
{
    private static readonly Dictionary<string, string> Tree = new()
    {
        ["rust/bindings/bindings_helper.h"] = "#include <linux/slab.h>\n#include \"local.h\"\n#include <asm/barrier.h>\n#include <asm/mmiowb.h>\n#include <generated/autoconf.h>\n#include <asm/unistd_64.h>\n#include <linux/missing.h>\n#include TRACE_INCLUDE(x)\n",
        ["rust/bindings/local.h"] = "#include \"../../include/linux/types.h\"\n",
        ["include/linux/slab.h"] = "#include <linux/types.h>\n#include <linux/gfp.h>\n",
        ["include/linux/gfp.h"] = "#include <linux/types.h>\n",
        ["include/linux/types.h"] = "#include <uapi/linux/types.h>\n#include <linux/types.h>\n",
        ["include/uapi/linux/types.h"] = "#include <asm/types.h>\n",
        ["arch/x86/include/uapi/asm/types.h"] = "#include_next <asm/types.h>\n",
        ["include/uapi/asm/types.h"] = "",
        ["arch/x86/include/asm/barrier.h"] = "#include <asm-generic/barrier.h>\n",
        ["include/asm-generic/barrier.h"] = "",
        ["include/asm-generic/mmiowb.h"] = "",
        ["include/linux/kconfig.h"] = "#include <generated/autoconf.h>\n",
        ["include/linux/compiler_types.h"] = "",
        ["arch/x86/include/asm/Kbuild"] = "generated-y += unistd_64.h\ngeneric-y += early_ioremap.h\n",
        ["include/asm-generic/Kbuild"] = "mandatory-y += barrier.h\nmandatory-y += mmiowb.h\nmandatory-y += unistd_64.h\n",
    };

    private static IncludeClosure Resolve()
    {
        var search = IncludeSearch.Bindgen("x86", p => Tree.TryGetValue(p, out var t) ? Encoding.UTF8.GetBytes(t) : null, Tree.ContainsKey);
        return new IncludeResolver(search, Tree.ContainsKey, p => CDeclarations.Includes(Encoding.UTF8.GetBytes(Tree[p]))).Resolve(IncludeSearch.BindgenRoots);
    }

    [Fact]
    public void Wrappers_follow_generic_y_and_the_mandatory_headers_the_architecture_lacks()
    {
        var search = IncludeSearch.Bindgen("x86", p => Tree.TryGetValue(p, out var t) ? Encoding.UTF8.GetBytes(t) : null, Tree.ContainsKey);
        Assert.Equal(
            [("arch/x86/include/generated/asm/early_ioremap.h", "asm-generic/early_ioremap.h"), ("arch/x86/include/generated/asm/mmiowb.h", "asm-generic/mmiowb.h")],
            search.GenericWrappers.Select(w => (w.Key, w.Value)).Order());
        Assert.Equal(["arch/x86/include/generated/asm/unistd_64.h"], search.Generated);
    }

    [Fact]
    public void The_closure_is_depth_first_with_the_first_includer_and_depth()
    {
        var closure = Resolve();
        Assert.Equal(
            [
                ("include/linux/kconfig.h", null, 0),
                ("include/linux/compiler_types.h", null, 0),
                ("rust/bindings/bindings_helper.h", null, 0),
                ("include/linux/slab.h", "rust/bindings/bindings_helper.h", 1),
                ("include/linux/types.h", "include/linux/slab.h", 2),
                ("include/uapi/linux/types.h", "include/linux/types.h", 3),
                ("arch/x86/include/uapi/asm/types.h", "include/uapi/linux/types.h", 4),
                ("include/uapi/asm/types.h", "arch/x86/include/uapi/asm/types.h", 5),
                ("include/linux/gfp.h", "include/linux/slab.h", 2),
                ("rust/bindings/local.h", "rust/bindings/bindings_helper.h", 1),
                ("arch/x86/include/asm/barrier.h", "rust/bindings/bindings_helper.h", 1),
                ("include/asm-generic/barrier.h", "arch/x86/include/asm/barrier.h", 2),
                ("arch/x86/include/generated/asm/mmiowb.h", "rust/bindings/bindings_helper.h", 1),
                ("include/asm-generic/mmiowb.h", "arch/x86/include/generated/asm/mmiowb.h", 2),
            ],
            closure.Headers.Select(h => (h.Path, h.IncludedBy, h.Depth)));
        Assert.True(closure.Find("arch/x86/include/generated/asm/mmiowb.h")!.IsGenericWrapper);
        Assert.Equal(["rust/bindings/bindings_helper.h"], closure.Find("include/linux/gfp.h")!.Roots);
    }

    [Fact]
    public void Unresolved_includes_say_why()
    {
        Assert.Equal(
            [
                ("generated/autoconf.h", UnresolvedReason.Generated, "include/linux/kconfig.h"),
                ("asm/unistd_64.h", UnresolvedReason.Generated, "rust/bindings/bindings_helper.h"),
                ("linux/missing.h", UnresolvedReason.NotFound, "rust/bindings/bindings_helper.h"),
                ("TRACE_INCLUDE(x)", UnresolvedReason.Computed, "rust/bindings/bindings_helper.h"),
            ],
            Resolve().Unresolved.Select(u => (u.Target, u.Reason, u.IncludedBy)));
    }

    [Theory]
    [InlineData("a/b/../c.h", "a/c.h")]
    [InlineData("a/./b.h", "a/b.h")]
    [InlineData("../x.h", null)]
    [InlineData("/abs.h", null)]
    public void Paths_are_normalised_inside_the_tree(string path, string? expected) => Assert.Equal(expected, IncludeResolver.Normalise(path));
}
