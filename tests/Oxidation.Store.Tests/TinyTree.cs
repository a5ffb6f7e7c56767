namespace Oxidation.Store.Tests;

/// <summary>A small kernel-shaped tree written to a temporary directory.</summary>
internal sealed class TinyTree : IDisposable
{
    public TinyTree(string sublevel = "3")
    {
        Root = Directory.CreateTempSubdirectory("oxidation-tree-").FullName;
        Write("Makefile", $"VERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = {sublevel}\nEXTRAVERSION = -test\n");
        Write("drivers/foo/Makefile", "obj-$(CONFIG_FOO_RUST) += foo_rust.o\n");
        Write("drivers/foo/Kconfig", "config FOO_RUST\n\ttristate \"Rust foo driver (EXPERIMENTAL)\"\n\tdepends on RUST\n");
        Write("drivers/foo/foo_rust.rs", "// SPDX-License-Identifier: GPL-2.0\nmodule! {\n    type: Foo,\n    name: \"foo_rust\",\n}\nfn f() {\n    unsafe { g() };\n}\n");
        Write("kernel/a.c", "int a;\n/* c */\n\n");
    }

    public string Root { get; }

    public void Write(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
