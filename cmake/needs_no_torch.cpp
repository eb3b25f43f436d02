// The program of a link check (cmake/NeedsNoTorch.cmake): it only has to link; it is never run.
int main()
{
    return 0;
}
