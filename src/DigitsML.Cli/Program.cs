Console.WriteLine("digits");
