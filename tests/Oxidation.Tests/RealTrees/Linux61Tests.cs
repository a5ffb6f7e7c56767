using Oxidation.Model;

namespace Oxidation.Tests.RealTrees;

public sealed class Linux61Tests
{
    private static ScanResult Scan => KernelTrees.Linux61;

    [Fact]
    public void Release_is_read_from_the_top_makefile() => Assert.Equal("6.1.192", Scan.Release);

    [Fact]
    public void The_vendored_alloc_crate_is_detected_by_its_licence_and_kept_out_of_kernel_rust()
    {
        // rust/alloc/*.rs: 13 files, "SPDX-License-Identifier: Apache-2.0 OR MIT".
        var alloc = Assert.Single(Scan.Rust.VendoredCrates);
        Assert.Equal(("alloc", "rust/alloc", "Apache-2.0 OR MIT", 13L), (alloc.Name, alloc.Path, alloc.License, alloc.Files));
        Assert.Equal(
            [("abstractions", 6L), ("bindings", 1L), ("build", 2L), ("macros", 3L), ("samples", 4L), ("vendored", 13L)],
            Scan.Rust.Areas.Select(a => (a.Area, a.Files)));
        Assert.Equal(16, Scan.Rust.Kernel.Files);
        Assert.DoesNotContain(Scan.Rust.Unsafe.Sites, s => s.Path.StartsWith("rust/alloc/", StringComparison.Ordinal) && s.Area != "vendored");
    }

    [Fact]
    public void The_only_unit_is_the_minimal_sample()
    {
        var unit = Assert.Single(Scan.Rust.Units);
        Assert.Equal(("rust_minimal", "module", "SAMPLE_RUST_MINIMAL"), (unit.Name, unit.Kind, unit.Kconfig));
    }

    [Fact]
    public void Unsafe_audit_matches_grep()
    {
        // grep -rn 'unsafe {' rust/kernel: 16; grep -rn 'SAFETY:' rust/kernel: 12 (11 on blocks, 1 on an impl).
        Assert.Equal(16, Scan.Rust.Unsafe.Blocks);
        Assert.Equal(11, Scan.Rust.Unsafe.BlocksJustified);
        Assert.Equal(1, Scan.Rust.Unsafe.ImplsJustified);
    }

    [Fact]
    public void Bindings_come_from_one_header_and_one_helper_file()
    {
        // rust/bindings/bindings_helper.h in 6.1 includes <linux/slab.h> and <linux/mm.h>; there is no rust/uapi yet.
        Assert.Equal(["include/linux/slab.h", "include/linux/mm.h"], Scan.Rust.Bindings.Headers.Select(h => h.Path));
        Assert.Equal([("rust_helper_BUG", "rust/helpers.c")], Scan.Rust.Bindings.Helpers.Select(h => (h.Name, h.File)));
    }
}
