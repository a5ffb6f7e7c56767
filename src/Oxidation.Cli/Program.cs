using Oxidation.Cli;

return CommandLine.Build().Parse(args).Invoke();
