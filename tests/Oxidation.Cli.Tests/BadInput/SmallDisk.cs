using System.Diagnostics;

namespace Oxidation.Cli.Tests;

/// <summary>
/// A tmpfs of a few hundred KiB under /tmp, for the cases a real disk produces: full (writes fail with ENOSPC) or
/// read-only (remounted ro: even root cannot write, unlike a chmod). Needs root (the tests run as root here);
/// unmounted when disposed.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    public SmallDisk(string size)
    {
        Root = Directory.CreateTempSubdirectory("oxidation-disk-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", Root);
    }

    public string Root { get; }

    /// <summary>Makes the file system read-only: nothing on it can be written from now on.</summary>
    public void ReadOnly() => Run("mount", "-o", "remount,ro", Root);

    public void Dispose()
    {
        Run("umount", Root);
        Directory.Delete(Root);
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {error.Trim()} (these tests need root to mount a tmpfs)");
    }
}
