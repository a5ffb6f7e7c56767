using LibGit2Sharp;

namespace Oxidation.Git.Tests;

/// <summary>A git repository laid out like a kernel tree, built with fixed identities and dates so commit ids are stable.</summary>
internal sealed class KernelRepository : IDisposable
{
    public static readonly (string Name, string Email) Ada = ("Ada Author", "ada@intel.com");
    public static readonly (string Name, string Email) BobOld = ("Bob Builder", "bob@old.example");
    public static readonly (string Name, string Email) Bob = ("Bob Builder", "bob@google.com");
    public static readonly (string Name, string Email) Carol = ("Carol", "carol@gmail.com");

    public KernelRepository()
    {
        Path = Directory.CreateTempSubdirectory("oxidation-git-").FullName;
        Repository.Init(Path);
        Repo = new Repository(Path);
    }

    public string Path { get; }

    public Repository Repo { get; }

    public Commit Commit((string Name, string Email) who, string when, string message, params (string Path, string? Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(Path, path);
            if (content is null)
            {
                File.Delete(full);
                Commands.Remove(Repo, path);
                continue;
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            Commands.Stage(Repo, path);
        }
        var signature = new Signature(who.Name, who.Email, DateTimeOffset.Parse(when, System.Globalization.CultureInfo.InvariantCulture));
        return Repo.Commit(message, signature, signature, new CommitOptions { AllowEmptyCommit = true });
    }

    public void Tag(string name, Commit commit) => Repo.ApplyTag(name, commit.Sha);

    /// <summary>Runs git itself in the repository (the reference the tests compare with); its output, or a failure.</summary>
    public string Git(params string[] arguments) => RunGit(Path, arguments);

    public static string RunGit(string directory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", directory, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = System.Diagnostics.Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
        return output.Result;
    }

    /// <summary>A side branch with one commit, merged back with a merge commit.</summary>
    public Commit MergeBranch((string Name, string Email) who, string when, string message, params (string Path, string? Content)[] files)
    {
        var main = Repo.Head;
        var branch = Repo.CreateBranch("side-" + when[..10]);
        Commands.Checkout(Repo, branch);
        Commit(who, when, message, files);
        Commands.Checkout(Repo, main);
        var signature = new Signature(Ada.Name, Ada.Email, DateTimeOffset.Parse(when, System.Globalization.CultureInfo.InvariantCulture).AddHours(1));
        var result = Repo.Merge(branch, signature, new MergeOptions { FastForwardStrategy = FastForwardStrategy.NoFastForward });
        return result.Commit;
    }

    public void Dispose()
    {
        Repo.Dispose();
        DeleteDirectory(Path);
    }

    /// <summary>Deletes a directory holding a git repository (git writes its objects read-only).</summary>
    public static void DeleteDirectory(string path)
    {
        foreach (var f in new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories))
            f.Attributes = FileAttributes.Normal;
        Directory.Delete(path, recursive: true);
    }

    /// <summary>The objects of the one pack in a pack directory, by id, with their offsets (<c>git show-index</c> reads the index).</summary>
    public static Dictionary<string, long> ShowIndex(string packDirectory)
    {
        var idx = Directory.GetFiles(packDirectory, "*.idx").Single();
        var start = new System.Diagnostics.ProcessStartInfo("git", ["show-index"]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var git = System.Diagnostics.Process.Start(start)!;
        using (var input = File.OpenRead(idx))
            input.CopyTo(git.StandardInput.BaseStream);
        git.StandardInput.Close();
        var entries = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(f => f[1], f => long.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture));
        git.WaitForExit();
        return entries;
    }

    public const string KernelLib = "// SPDX-License-Identifier: GPL-2.0\n\n//! Kernel crate.\n\npub fn f() {}\n";
    public const string AllocLib = "// SPDX-License-Identifier: Apache-2.0 OR MIT\n\npub struct V;\n";

    /// <summary>The history every test starts from: v6.0, v6.1 (Rust arrives), v6.2, and two unreleased commits.</summary>
    public static KernelRepository Standard()
    {
        var r = new KernelRepository();
        var c1 = r.Commit(Ada, "2022-10-01T10:00:00+00:00", "Initial import\n\nSigned-off-by: Ada Author <ada@intel.com>",
            ("Makefile", "VERSION = 6\nPATCHLEVEL = 0\n"), ("init/main.c", "int main;\n"),
            (".mailmap", "Bob Builder <bob@google.com> <bob@old.example>\n"));
        r.Tag("v6.0", c1);
        var c2 = r.Commit(Ada, "2022-11-01T10:00:00+00:00", "rust: add the kernel crate\n\nSigned-off-by: Ada Author <ada@intel.com>\nReviewed-by: Bob Builder <bob@old.example>",
            ("rust/kernel/lib.rs", KernelLib), ("rust/alloc/lib.rs", AllocLib));
        r.Tag("v6.1", c2);
        r.Commit(BobOld, "2023-01-10T10:00:00+00:00", "rust: kernel: use foo\n\nAcked-by: Ada Author <ada@intel.com>\nTested-by: Carol <carol@gmail.com>\nSigned-off-by: Bob Builder <bob@old.example>",
            ("rust/kernel/lib.rs", KernelLib.Replace("pub fn f() {}\n", "pub fn f() {}\npub fn g() {}\npub fn h() {}\n", StringComparison.Ordinal).Replace("//! Kernel crate.\n", "//! The kernel crate.\n", StringComparison.Ordinal)),
            ("include/linux/foo.h", "int foo(void);\n"));
        r.MergeBranch(Carol, "2023-01-15T10:00:00+00:00", "x: fix a C bug\n\nSigned-off-by: Carol <carol@gmail.com>", ("drivers/x.c", "int x;\n"));
        var c5 = r.Commit(Ada, "2023-02-01T10:00:00+00:00", "rust: fix build after foo change\n\nReviewed-by: Carol <carol@gmail.com>\nSigned-off-by: Ada Author <ada@intel.com>",
            ("rust/kernel/lib.rs", KernelLib.Replace("pub fn f() {}\n", "pub fn f() {}\npub fn g() {}\npub fn h() {}\npub fn i() {}\n", StringComparison.Ordinal).Replace("//! Kernel crate.\n", "//! The kernel crate.\n", StringComparison.Ordinal)));
        r.Tag("v6.2", c5);
        r.Commit(Carol, "2023-03-01T10:00:00+00:00", "rust: alloc: add Vec\n\nSigned-off-by: Carol <carol@gmail.com>",
            ("rust/alloc/vec.rs", "// SPDX-License-Identifier: Apache-2.0 OR MIT\npub struct Vec;\n"));
        r.Commit(Bob, "2023-03-02T10:00:00+00:00", "x: depend on Rust\n\nSigned-off-by: Bob Builder <bob@google.com>",
            ("drivers/Kconfig", "config X\n\ttristate \"x\"\n\tdepends on RUST\n"));
        return r;
    }
}
