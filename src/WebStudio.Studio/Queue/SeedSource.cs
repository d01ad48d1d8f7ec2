using System.Security.Cryptography;

namespace WebStudio.Studio.Queue;

/// <summary>
/// Where a job's seed comes from when its submitter leaves it random (-1, and every OpenAI API request). A service
/// rather than a static call so that a test host can fix the seeds and pin the images they make.
/// </summary>
public class SeedSource
{
    public virtual long Next() => RandomNumberGenerator.GetInt32(int.MaxValue);
}
