"""Smallest Python program: import the SDK and print its version."""
import veteran

veteran.global_init()
print("veteran", veteran.__version__)
