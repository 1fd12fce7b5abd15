// Replaced by the command-line implementation.
print("ssmpath")
