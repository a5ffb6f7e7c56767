using Oxidation.Cli;

return CommandLine.Run(args);
