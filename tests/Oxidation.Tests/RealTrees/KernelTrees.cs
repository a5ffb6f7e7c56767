using Oxidation.Model;
using Oxidation.Scanning;

namespace Oxidation.Tests.RealTrees;

/// <summary>
/// The real trees from Debian's linux-source-6.1 and linux-source-6.12 packages (installed by .ci/run),
/// scanned once per test run straight from their tarballs. Expected values were checked independently
/// (cloc 1.96, grep, reading the files) on 6.1.192 and 6.12.117; a new Debian upload changes them, which
/// the release assertions report first.
/// </summary>
public static class KernelTrees
{
    public const string Tarball612 = "/usr/src/linux-source-6.12.tar.xz";
    public const string Tarball61 = "/usr/src/linux-source-6.1.tar.xz";

    private static readonly Lazy<ScanResult> Scan612 = new(() => Scan(Tarball612));
    private static readonly Lazy<ScanResult> Scan61 = new(() => Scan(Tarball61));

    public static ScanResult Linux612 => Scan612.Value;

    public static ScanResult Linux61 => Scan61.Value;

    private static ScanResult Scan(string tarball)
    {
        Assert.True(File.Exists(tarball), $"{tarball} is missing: .ci/run installs it (apt-get install linux-source-6.1 linux-source-6.12)");
        return Scanner.Scan(ScanOptions.For(tarball));
    }
}
