using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Oxidation.Tree;

/// <summary>
/// File names as bytes, for the names a .NET string cannot carry: on Linux a name is any bytes but <c>/</c> and NUL,
/// and .NET decodes it as UTF-8 with U+FFFD for each invalid byte, after which the file cannot be opened by that
/// string. Such directories are listed and such files opened here, through libc, by their real bytes.
/// How the path then appears in results is in docs/counting.md.
/// </summary>
internal static partial class RawNames
{
    // d_type values of readdir(3).
    private const byte TypeUnknown = 0;
    private const byte TypeDirectory = 4;
    private const byte TypeRegular = 8;
    private const byte TypeLink = 10;

    // struct dirent of glibc and musl on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
    private const int DirentType = 18;
    private const int DirentName = 19;
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC, the same on x86-64 and arm64
    private const int OpenNonBlocking = 0x800; // O_NONBLOCK, the same on x86-64 and arm64

    /// <summary>Whether names are bytes that may need this (Linux, 64-bit).</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Whether a name as .NET decoded it may not be the file's real name.</summary>
    public static bool MayDiffer(ReadOnlySpan<char> name) => Supported && name.Contains('\uFFFD');

    /// <summary>A name for display and results: UTF-8, with U+FFFD for each byte that is not.</summary>
    public static string Display(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name);

    /// <summary>The kind of a directory entry.</summary>
    public enum Kind
    {
        /// <summary>A regular file.</summary>
        File,

        /// <summary>A directory.</summary>
        Directory,

        /// <summary>A symbolic link.</summary>
        Link,

        /// <summary>A device, FIFO or socket: nothing to read.</summary>
        Other,
    }

    /// <summary>The entries of the directory at <paramref name="path"/> (bytes, without a NUL), without <c>.</c> and <c>..</c>.</summary>
    public static List<(byte[] Name, Kind Kind)> List(byte[] path)
    {
        var dir = opendir(Terminated(path));
        if (dir == 0)
            throw Error(path);
        var entries = new List<(byte[], Kind)>();
        try
        {
            while (readdir(dir) is var entry && entry != 0)
            {
                var length = 0;
                while (Marshal.ReadByte(entry, DirentName + length) != 0)
                    length++;
                var name = new byte[length];
                Marshal.Copy(entry + DirentName, name, 0, length);
                if (name is [(byte)'.'] or [(byte)'.', (byte)'.'])
                    continue;
                var kind = Marshal.ReadByte(entry, DirentType) switch
                {
                    TypeRegular => Kind.File,
                    TypeDirectory => Kind.Directory,
                    TypeLink => Kind.Link,
                    TypeUnknown => Probe([.. path, (byte)'/', .. name]),
                    _ => Kind.Other,
                };
                entries.Add((name, kind));
            }
        }
        finally
        {
            _ = closedir(dir);
        }
        return entries;
    }

    /// <summary>Opens the file at <paramref name="path"/> (bytes) for reading; throws <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> as <see cref="File.OpenHandle"/> does.</summary>
    public static SafeFileHandle Open(byte[] path)
    {
        // O_NONBLOCK: a FIFO opens at once instead of waiting for a writer (reading it then fails as not seekable);
        // on a regular file it changes nothing.
        var fd = open(Terminated(path), OpenReadOnlyCloseOnExec | OpenNonBlocking);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Error(path);
    }

    /// <summary>Some file systems do not say what an entry is: a link if readlink reads it, a directory if it opens as one.</summary>
    private static Kind Probe(byte[] path)
    {
        var terminated = Terminated(path);
        if (readlink(terminated, new byte[1], 1) >= 0)
            return Kind.Link;
        var dir = opendir(terminated);
        if (dir == 0)
            return Kind.File;
        _ = closedir(dir);
        return Kind.Directory;
    }

    private static byte[] Terminated(byte[] path) => [.. path, 0];

    private static Exception Error(byte[] path)
    {
        var errno = Marshal.GetLastPInvokeError();
        var message = $"{Marshal.GetPInvokeErrorMessage(errno)} : '{Display(path)}'";
        return errno == 13 ? new UnauthorizedAccessException(message) : new IOException(message); // EACCES
    }

#pragma warning disable SYSLIB1054, CA5392 // DllImport: the core builds without unsafe code, which LibraryImport needs; libc is the system's
    [DllImport("libc", SetLastError = true)]
    private static extern nint opendir(byte[] name);

    [DllImport("libc", SetLastError = true)]
    private static extern nint readdir(nint dir);

    [DllImport("libc", SetLastError = true)]
    private static extern int closedir(nint dir);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint readlink(byte[] path, byte[] buffer, nint size);
#pragma warning restore SYSLIB1054, CA5392
}
