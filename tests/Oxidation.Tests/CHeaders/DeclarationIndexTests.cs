using System.Text;
using Oxidation.CHeaders;

namespace Oxidation.Tests.CHeaders;

public sealed class DeclarationIndexTests
{
    [Fact]
    public void Names_are_looked_up_per_kind_with_struct_tags_apart()
    {
        var a = CDeclarations.Parse(Encoding.UTF8.GetBytes("struct device { int id; };\nint device(void);\n#define DEV_MAX 4\nenum e { E_A = 1 };\ntypedef int dev_t;\n"), "include/a.h");
        var b = CDeclarations.Parse(Encoding.UTF8.GetBytes("#ifdef X\nint device(void);\n#else\nstatic inline int device(void) { return 0; }\n#endif\n"), "include/b.h");
        var index = new DeclarationIndex([a, b]);
        Assert.Equal([("include/a.h", 1)], index.Struct("device").Select(d => (d.Header, d.Line)));
        Assert.Equal([("include/a.h", 2), ("include/b.h", 2), ("include/b.h", 4)], index.Functions("device").Select(d => (d.Header, d.Line)));
        Assert.Equal("int", Assert.Single(index.Field("struct device", "id")).Declaration.Text);
        Assert.Equal(1, Assert.Single(index.EnumValue("E_A")).Declaration.Value);
        Assert.Single(index.Enum("e"));
        Assert.Single(index.Macros("DEV_MAX"));
        Assert.Single(index.Typedefs("dev_t"));
        Assert.Empty(index.Functions("nothing"));
        Assert.Equal(4, index.FindAny("device").Count());
        Assert.Equal(["include/a.h", "include/b.h"], index.Headers);
    }
}
