// GlobalUsings.cs — namespaces every test file of this project uses.
global using NUnit.Framework;
