using Oxidation.Scanning;
using Oxidation.Tests.RealTrees;

namespace Oxidation.Tests.Rust;

/// <summary>The three groups of Rust (docs/measures.md): kernel Rust, kernel-maintained crates, third-party crates.</summary>
public sealed class CrateGroupsTests : IDisposable
{
    private readonly DirectoryInfo _tree = Directory.CreateTempSubdirectory("oxidation-crates-");

    public void Dispose() => _tree.Delete(recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(_tree.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void Pin_init_with_an_entry_of_its_own_is_kernel_maintained_and_syn_is_third_party()
    {
        // As in 7.x: rust/pin-init and rust/syn both carry Apache-2.0 OR MIT; only pin-init has its own MAINTAINERS entry.
        Write("Makefile", "VERSION = 7\nPATCHLEVEL = 3\nSUBLEVEL = 0\n");
        Write("MAINTAINERS", "RUST\nM:\tMiguel Ojeda <ojeda@kernel.org>\nS:\tSupported\nF:\trust/\n\n" +
            "RUST [PIN-INIT]\nM:\tBenno Lossin <lossin@kernel.org>\nS:\tMaintained\nF:\trust/pin-init/\n");
        Write("rust/kernel/lib.rs", "// SPDX-License-Identifier: GPL-2.0\n\npub fn k() {}\n");
        Write("rust/pin-init/src/lib.rs", "// SPDX-License-Identifier: Apache-2.0 OR MIT\n\npub fn init() {}\npub fn more() {}\n");
        Write("rust/pin-init/internal/src/lib.rs", "// SPDX-License-Identifier: Apache-2.0 OR MIT\n\npub fn internal() {}\n");
        Write("rust/syn/lib.rs", "// SPDX-License-Identifier: Apache-2.0 OR MIT\n\npub fn parse() {}\n");
        var scan = Scanner.Scan(ScanOptions.For(_tree.FullName));
        Assert.Equal(
            [("pin-init", "kernel-maintained", "RUST [PIN-INIT]", 2L), ("syn", "third-party", null, 1L)],
            scan.Rust.VendoredCrates.Select(c => (c.Name, c.Group, c.MaintainedBy, c.Files)));
        Assert.Equal(
            [("kernel", Array.Empty<string>(), 1L, 1L), ("kernel-maintained", ["pin-init"], 2L, 3L), ("third-party", ["syn"], 1L, 1L)],
            scan.Rust.Groups.Select(g => (g.Group, g.Crates.ToArray(), g.Files, g.Code)));
        // The grouping moves nothing: both crates stay vendored, out of kernel Rust.
        Assert.Equal((1L, 3L), (scan.Rust.Kernel.Files, scan.Rust.Vendored.Files));
        Assert.Equal(3L, scan.Rust.Areas.Single(a => a.Area == "vendored").Files);
    }

    [Fact]
    public void A_crate_covered_only_by_the_rust_entry_is_third_party_and_without_maintainers_too()
    {
        Write("Makefile", "VERSION = 7\nPATCHLEVEL = 3\n");
        Write("rust/quote/lib.rs", "// SPDX-License-Identifier: Apache-2.0 OR MIT\n\npub fn q() {}\n");
        var scan = Scanner.Scan(ScanOptions.For(_tree.FullName));
        Assert.Equal(("quote", "third-party", null), scan.Rust.VendoredCrates.Select(c => (c.Name, c.Group, c.MaintainedBy)).Single());
    }

    [Fact]
    public void Debian_6_1_vendors_alloc_as_third_party_and_6_12_vendors_nothing()
    {
        // 6.1: rust/alloc/README.md "These source files come from the Rust standard library"; MAINTAINERS has only RUST (F: rust/).
        var alloc = Assert.Single(KernelTrees.Linux61.Rust.VendoredCrates);
        Assert.Equal(("alloc", "third-party", null), (alloc.Name, alloc.Group, alloc.MaintainedBy));
        Assert.Equal([("kernel", 16L), ("kernel-maintained", 0L), ("third-party", 13L)], KernelTrees.Linux61.Rust.Groups.Select(g => (g.Group, g.Files)));
        // 6.12: rust/{bindings,kernel,macros,uapi}/lib.rs are all GPL-2.0.
        Assert.Empty(KernelTrees.Linux612.Rust.VendoredCrates);
        Assert.Equal([("kernel", 79L), ("kernel-maintained", 0L), ("third-party", 0L)], KernelTrees.Linux612.Rust.Groups.Select(g => (g.Group, g.Files)));
    }
}
